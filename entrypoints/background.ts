import { defineBackground } from 'wxt/utils/define-background';

export default defineBackground(() => {
  // Wiring only: handlers live in platform/ (added with the vault and the token switcher).
});
