/** A message file: the same keys in Chinese (the default) and English. */
export interface Messages {
  readonly 'zh-CN': Record<string, unknown>;
  readonly en: Record<string, unknown>;
}

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
