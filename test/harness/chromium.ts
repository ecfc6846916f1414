// Debian's Chromium, as the tests and benchmarks drive it: fake camera and microphone,
// no prompts, autoplay allowed, ICE on loopback.
import { launch, type Browser, type LaunchOptions } from 'puppeteer-core';

export const CHROMIUM_EXECUTABLE = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox', // the machines run as root
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection', // ICE on 127.0.0.1 inside the namespace
  '--autoplay-policy=no-user-gesture-required',
];

export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: CHROMIUM_EXECUTABLE,
  headless: true,
  args: chromiumArgs,
};

/** Starts one headless Chromium through puppeteer-core (CDP). */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return launch({ ...chromiumLaunchOptions, ...options, args: [...chromiumArgs, ...(options.args ?? [])] });
}
