// What the client scripts share: the base URL argument, checks that name the step they failed in, a seeded
// generator, and the exit code the end-to-end test reads (0 when every step matched, 1 otherwise).

/** The step now running; a failed check names it. */
export const progress = { step: 'start' };

/** The server's base URL from the command line, or exit 2 with a usage line. */
export function baseUrl(script) {
  const url = process.argv[2];
  if (!url) {
    console.error(`usage: node ${script} <base-url>`);
    process.exit(2);
  }

  return url;
}

export function check(condition, message, actual) {
  if (!condition) {
    const detail = actual === undefined ? '' : `\n  actual: ${JSON.stringify(actual)}`;
    throw new Error(`[${progress.step}] ${message}${detail}`);
  }
}

// A seeded generator (mulberry32), so the data and the expected answers are the same on every run.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs the scenario: prints `passed` on success, the error and exit code 1 on failure. */
export function run(main, passed) {
  main().then(
    () => {
      console.log(passed);
    },
    (e) => {
      console.error(e?.stack ?? String(e));
      process.exit(1);
    },
  );
}
