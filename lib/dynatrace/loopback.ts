/**
 * Loopback hosts (the sandbox on this machine). A file of its own because host-permission checks need it on every
 * page's first load, while the environment-URL parser beside it loads only with the add form.
 */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (hostname === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
