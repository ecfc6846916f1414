// Whether the page's permissions policy lets the element use camera and microphone. In a
// cross-origin <iframe> without `allow="camera; microphone"` the browser refuses them
// before any prompt; the visitor cannot change that, only the site owner can.

type Feature = 'camera' | 'microphone';

interface PolicyApi {
  allowsFeature(feature: string): boolean;
}

/** The policy object of this document: `permissionsPolicy` (the spec) or `featurePolicy` (Chromium); null where absent (Firefox, Safari). */
function policyApi(): PolicyApi | null {
  if (typeof document === 'undefined') return null;
  const doc = document as Document & { permissionsPolicy?: PolicyApi; featurePolicy?: PolicyApi };
  const api = doc.permissionsPolicy ?? doc.featurePolicy;
  return typeof api?.allowsFeature === 'function' ? api : null;
}

/** The wanted features this document's policy forbids, when the browser can tell (else none). */
export function policyBlocks(wanted: Record<Feature, boolean>): Feature[] {
  const api = policyApi();
  if (!api) return [];
  return (Object.keys(wanted) as Feature[]).filter(f => wanted[f] && !api.allowsFeature(f));
}

/**
 * For browsers without the policy API (Firefox): was this getUserMedia refusal the policy's?
 * Yes when the error names the policy, or when the document cannot even see that a camera
 * or microphone exists — a policy that forbids both hides them from enumerateDevices(),
 * while a visitor's "no" leaves them listed (unlabelled), and having none is NotFoundError.
 */
export async function refusedByPolicy(err: unknown, devices: MediaDevices): Promise<boolean> {
  const e = err as { name?: unknown; message?: unknown; cause?: unknown } | null;
  if (e?.name !== 'NotAllowedError' && e?.name !== 'SecurityError') return false;
  const text = [e.message, (e.cause as { message?: unknown } | undefined)?.message].filter(t => typeof t === 'string').join(' ');
  if (/(permissions?|feature)[- ]policy/i.test(text)) return true;
  try {
    const list = await devices.enumerateDevices();
    return !list.some(d => d.kind === 'videoinput' || d.kind === 'audioinput');
  } catch {
    return false;
  }
}
