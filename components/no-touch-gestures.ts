/**
 * Stands in for hammerjs in the chart chunk (wxt.config.ts aliases the package here). chartjs-plugin-zoom uses
 * Hammer only for pinch and pan gestures and checks for it before starting them (`if (Hammer)`); drag-to-zoom is
 * its own mouse handling. Charts here enable neither pinch nor pan, so the 7 KB gzip library, and the CommonJS
 * interop helper it would add to the runtime chunk of the popup's first load, stay out.
 */
export default undefined;
