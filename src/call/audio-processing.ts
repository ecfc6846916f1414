// The browser's own microphone processing — noise suppression, echo cancellation, auto
// gain — switched during the call. applyConstraints first; a browser may accept it and
// change nothing (Chromium 156 does exactly that for these three), so what counts is the
// track's getSettings() afterwards. When it did not take, the microphone is opened again
// with the new switches and the caller swaps the track in (RTCRtpSender.replaceTrack: no
// renegotiation, the call goes on), keeping whether it was muted.

export const AUDIO_SWITCHES = ['noiseSuppression', 'echoCancellation', 'autoGainControl'] as const;
export type AudioSwitch = (typeof AUDIO_SWITCHES)[number];
/** Each switch on or off; a switch the browser does not report is absent. */
export type AudioProcessing = Partial<Record<AudioSwitch, boolean>>;

/** The switches this browser knows (getSupportedConstraints); the UI shows only these. */
export function supportedSwitches(): AudioSwitch[] {
  const supported = (typeof navigator !== 'undefined' && navigator.mediaDevices?.getSupportedConstraints?.()) || {};
  return AUDIO_SWITCHES.filter(name => supported[name] === true);
}

/** What the track does now, from getSettings(). */
export function currentProcessing(track: MediaStreamTrack): AudioProcessing {
  const settings = track.getSettings() as Record<string, unknown>;
  const out: AudioProcessing = {};
  for (const name of AUDIO_SWITCHES) if (typeof settings[name] === 'boolean') out[name] = settings[name] as boolean;
  return out;
}

export interface ProcessingResult {
  /** The microphone track now: the same one, or a new one already swapped in by `replace`. */
  track: MediaStreamTrack;
  /** What that track does (getSettings), whatever was asked. */
  settings: AudioProcessing;
  /** Switches asked for that the microphone does not do (it cannot, or the browser would not). */
  ignored: AudioSwitch[];
}

const missing = (track: MediaStreamTrack, wanted: AudioProcessing) => {
  const settings = currentProcessing(track);
  return AUDIO_SWITCHES.filter(name => wanted[name] !== undefined && settings[name] !== wanted[name]);
};

/**
 * Switches processing on the live microphone `track`, keeping its device and other
 * constraints. If the browser does not apply it to the live track, opens the microphone
 * again with the switches and hands the new track to `replace` (which puts it where the
 * old one was: senders, the local preview); the old track is stopped once that succeeded.
 * Without `replace`, or if reopening fails, the track stays as it was and `ignored` says so.
 */
export async function applyProcessing(
  track: MediaStreamTrack,
  wanted: AudioProcessing,
  replace?: (next: MediaStreamTrack) => Promise<void> | void,
): Promise<ProcessingResult> {
  if (track.readyState === 'ended') throw new Error('applyProcessing: the microphone track has ended');
  // what the microphone cannot do at all (a switch it offers only one way) is not tried
  const capabilities = (track.getCapabilities?.() ?? {}) as Record<string, unknown>;
  const can = (name: AudioSwitch) => !Array.isArray(capabilities[name]) || (capabilities[name] as unknown[]).includes(wanted[name]);
  const constraints: MediaTrackConstraints = { ...track.getConstraints() };
  for (const name of AUDIO_SWITCHES) if (wanted[name] !== undefined && can(name)) constraints[name] = wanted[name];

  // an OverconstrainedError leaves the track as it was: getSettings says so below
  await track.applyConstraints(constraints).catch(() => {});
  const tryable = missing(track, wanted).filter(can);
  if (!tryable.length || !replace) return { track, settings: currentProcessing(track), ignored: missing(track, wanted) };

  const deviceId = track.getSettings().deviceId;
  let next: MediaStreamTrack | undefined;
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { ...constraints, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) } });
    next = stream.getAudioTracks()[0];
    if (!next) throw new Error('no audio track');
    next.enabled = track.enabled; // muted stays muted
    await replace(next);
  } catch {
    next?.stop();
    return { track, settings: currentProcessing(track), ignored: missing(track, wanted) };
  }
  track.stop();
  return { track: next, settings: currentProcessing(next), ignored: missing(next, wanted) };
}
