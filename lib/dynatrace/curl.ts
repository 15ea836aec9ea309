/** The placeholder that stands for the secret in a copied command. */
export const TOKEN_PLACEHOLDER = '$DT_API_TOKEN';

/**
 * A `curl` command for a GET of the API, with the token replaced by a shell variable: what a user can
 * paste into a ticket or a terminal without leaking the secret.
 */
export function curlCommand(apiBase: string, path: string, query: Record<string, string | undefined>): string {
  const url = new URL(`${apiBase.replace(/\/$/, '')}${path}`);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `curl -sS ${quote(url.toString())} -H "Authorization: Api-Token ${TOKEN_PLACEHOLDER}" -H 'Accept: application/json'`;
}
