// The admin app's status colours pass WCAG AA in both themes (issue 13): each text-grade colour
// on a card and on the page, the text on each tint, muted text and the primary colour. Read from
// the stylesheet itself, so a colour changed there is checked here.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const css = readFileSync(join(import.meta.dir, "../../pwa/src/styles.css"), "utf8");

/** The custom properties of the block that starts with `selector {`. */
function palette(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  const block = css.slice(start, css.indexOf("}", start));
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1], m[2]]));
}

const luminance = (hex: string) => {
  const channel = (i: number) => {
    const v = Number.parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
};
/** https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio */
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

const light = palette(":root");
const dark = { ...light, ...palette(':root[data-theme="dark"]') };

describe.each([
  ["light", light],
  ["dark", dark],
])("%s theme", (_, p) => {
  const c = (name: string) => {
    const value = p[name];
    if (!value) throw new Error(`--${name} is not in the stylesheet`);
    return value;
  };
  test.each(["ok", "warn", "bad", "off", "text", "muted", "primary"])(
    "--%s is readable on cards and the page (4.5:1)",
    (name) => {
      expect(contrast(c(name), c("card"))).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c(name), c("bg"))).toBeGreaterThanOrEqual(4.5);
    },
  );
  test.each(["ok", "warn", "bad", "off"])("text on the %s tint is readable (4.5:1)", (name) => {
    expect(contrast(c(`on-${name}-tint`), c(`${name}-tint`))).toBeGreaterThanOrEqual(4.5);
  });
  test("text on the primary colour (buttons) is readable (4.5:1)", () => {
    expect(contrast(c("on-primary"), c("primary"))).toBeGreaterThanOrEqual(4.5);
  });
  test.each([1, 2, 3, 4, 5, 6, 7, 8])("chart colour %i stands out from a card (3:1)", (i) => {
    expect(contrast(c(`chart-${i}`), c("card"))).toBeGreaterThanOrEqual(3);
  });
});
