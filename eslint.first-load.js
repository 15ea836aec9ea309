// @ts-check
/**
 * The files of the popup's first load: what opening the popup evaluates before anything is clicked. ESLint forbids
 * them the imports that would drag the API client, its error texts or the URL parser into it
 * (`eslint.config.js`), and `test/unit/stores/first-load.test.ts` fails when the popup's static import graph reaches
 * a file missing here, so the list cannot fall behind the code.
 */
export const FIRST_LOAD_FILES = [
  'entrypoints/popup/main.ts',
  'popup/PopupApp.vue',
  'popup/context.ts',
  'popup/composables/useConfirm.ts',
  'popup/composables/useScreen.ts',
  'popup/screens/ListScreen.vue',
  'components/ActionMenu.vue',
  'components/ErrorNotice.vue',
  'components/RelativeTime.vue',
  'components/TokenList.vue',
  'components/TokenListItem.vue',
  'components/token-view.ts',
  'composables/useNavigation.ts',
  'composables/useUserActivity.ts',
  'stores/deps.ts',
  'stores/tokens.ts',
  'stores/vault.ts',
  'platform/crypto.ts',
  'platform/locks.ts',
  'platform/navigation.ts',
  'platform/permissions.ts',
  'platform/storage.ts',
  'platform/tokens.ts',
  'platform/vault.ts',
  'lib/dynatrace/loopback.ts',
  'lib/failure/failure.ts',
  'lib/time/relative.ts',
  'lib/tokens/rules.ts',
];

/** What a first-load file must not import, as one regular expression (type-only imports are fine: they vanish). */
export const FIRST_LOAD_DENIED = '(^|/)(lib/dynatrace(/index|/client|/errors|/environment-url)?|lib/failure/describe|platform/api|stores/token-requests)$|^ofetch$';
