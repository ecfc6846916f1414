/** The package version, for `MeteredCall.version` and the double-registration warning. */
export const VERSION = '0.1.0';
