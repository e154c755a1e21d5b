// The widget's strings as the app embed renders them: the "widget" section of each theme
// extension locale file.
import { readFileSync } from "node:fs";
import type { Messages } from "../../../widget/src/i18n";

export const LOCALES = "extensions/kembali-theme/locales";

export function localeFile(file: string): Messages {
  return JSON.parse(readFileSync(`${LOCALES}/${file}`, "utf8")).widget;
}

export const en = localeFile("en.default.json");
export const id = localeFile("id.json");
