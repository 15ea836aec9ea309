/** Types of `eslint.first-load.js` (plain JS, read by ESLint's config and by the first-load test). */
export declare const FIRST_LOAD_FILES: string[];
export declare const FIRST_LOAD_DENIED: string;
