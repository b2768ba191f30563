/** Command-line options of `npm run bench -- <name> [--full] [--option value]`. */
export interface BenchArgs {
  readonly name: string;
  readonly full: boolean;
  flag(name: string): boolean;
  number(name: string, fallback: number): number;
  string(name: string, fallback: string): string;
  /** The command that reproduces this run, for RESULTS.md. */
  readonly command: string;
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const [name = '', ...rest] = argv;
  const value = (option: string): string | undefined => {
    const i = rest.indexOf(`--${option}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  return {
    name,
    full: rest.includes('--full'),
    flag: (option) => rest.includes(`--${option}`),
    number: (option, fallback) => {
      const v = value(option);
      return v === undefined ? fallback : Number(v);
    },
    string: (option, fallback) => value(option) ?? fallback,
    command: `npm run bench -- ${argv.join(' ')}`,
  };
}
