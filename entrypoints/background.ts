import { defineBackground } from 'wxt/utils/define-background';
import { registerBackground } from '../platform/background';

export default defineBackground(() => {
  // Wiring only: the listeners live in platform/background.ts.
  registerBackground();
});
