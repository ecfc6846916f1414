// Waits for decoded video frames. requestVideoFrameCallback fires per presented
// frame in Chromium and Firefox alike (headless Firefox reports 0 in
// getVideoPlaybackQuality), so it is the one signal both browsers give.

/** Resolves once `video` has presented `count` new frames; rejects after `timeoutMs`. */
export function waitForFrames(video: HTMLVideoElement, count = 3, timeoutMs = 15000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    let handle = 0;
    const deadline = AbortSignal.timeout(timeoutMs);
    const onTimeout = () => {
      video.cancelVideoFrameCallback(handle);
      reject(new Error(`video presented ${seen} of ${count} frames within ${timeoutMs} ms`));
    };
    deadline.addEventListener('abort', onTimeout, { once: true });
    const onFrame = () => {
      if (++seen >= count) {
        deadline.removeEventListener('abort', onTimeout);
        resolve();
      } else handle = video.requestVideoFrameCallback(onFrame);
    };
    handle = video.requestVideoFrameCallback(onFrame);
  });
}

/**
 * The same as a string of page code, for participants driven through `eval`:
 * `window.__waitForFrames(video, count, timeoutMs)`.
 */
export const WAIT_FOR_FRAMES_SOURCE = `(${waitForFrames.toString()})`;
