// Debian's Chromium driven by playwright-core (never a downloaded browser), at a phone's size,
// with axe-core for accessibility checks and screenshots kept under test-artifacts/.
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { ROOT } from "./gateway.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = join(ROOT, "test-artifacts/pwa");
/** Headless Debian Chromium on a closed network: nothing of its own goes out. */
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  // Containers (CI's among them) give /dev/shm 64 MB, too little for Chromium's renderer.
  "--disable-dev-shm-usage",
];

/**
 * A phone-sized browser with its own profile on disk: a persistent profile, because Chromium
 * reports an incognito context as not installable.
 */
export async function launchPhone(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "pocketgate-chromium-")), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    args: chromiumArgs,
  });
}

/**
 * The whole page as a phone user scrolls through it: the viewport is made as tall as the page for
 * the shot, so the fixed header and tab bar sit where they do at the top and the end, not over the
 * middle of a stitched image.
 */
/** A browser for many short-lived phone contexts (one per size, theme and language). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs });
}

export interface PhoneLook {
  readonly width: number;
  readonly height: number;
  readonly dark: boolean;
  readonly lang: "en" | "zh";
}

/** A fresh phone: its size, light or dark, and the app's language chosen before the first paint. */
export async function phoneContext(browser: Browser, look: PhoneLook): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: look.width, height: look.height },
    isMobile: true,
    hasTouch: true,
    colorScheme: look.dark ? "dark" : "light",
    locale: look.lang === "zh" ? "zh-CN" : "en-US",
  });
  await context.addInitScript((lang) => localStorage.setItem("lang", lang), look.lang);
  return context;
}

export async function screenshot(page: Page, name: string, dir = ARTIFACTS): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (viewport && height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path });
  if (viewport && height > viewport.height) await page.setViewportSize(viewport);
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const axeSource = () => readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

/** Serious and critical axe-core violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol: the app's CSP (rightly) refuses an injected <script>.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource());
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document) => Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Visible controls smaller than 44x44 CSS px (the admin app's touch-target minimum). */
export async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("button, a[href], input, select, textarea")]
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && box.height > 0 && (box.width < 44 || box.height < 44))
      .map(
        ({ element, box }) =>
          `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""} "${(element.textContent ?? "").trim().slice(0, 20)}" ${Math.round(box.width)}x${Math.round(box.height)}`,
      ),
  );
}

/**
 * Elements that stick out of the viewport sideways (the page scrolls horizontally, or a card is
 * cut off). Inside a horizontally scrolling container, overflowing is the container's business.
 */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (el: Element) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX) && p !== document.body) return true;
      }
      return false;
    };
    const found: string[] = [];
    if (document.documentElement.scrollWidth > width + 1)
      found.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    for (const el of document.querySelectorAll("body *")) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || box.width <= 1) continue;
      if ((box.right > width + 1 || box.left < -1) && !scrolls(el)) {
        found.push(
          `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${(el.textContent ?? "").trim().slice(0, 30)}" ${Math.round(box.left)}..${Math.round(box.right)}`,
        );
      }
    }
    return found;
  });
}

/**
 * Text that wraps into single characters: a text node laid out on two or more lines where at
 * least half of the lines hold one character (Chinese labels one character per line, a word
 * broken before its last letter). Measured on the line boxes themselves, character by character.
 */
export async function singleCharacterLines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? "";
      if (text.trim().length < 2) continue;
      const parent = node.parentElement;
      if (!parent || parent.closest(".sr-only, .narrow-hide, [aria-hidden='true'], option, script, style")) continue;
      const lines = new Map<number, number>();
      for (let i = 0; i < text.length; i++) {
        if (/\s/.test(text[i] as string)) continue;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect || rect.width === 0) continue;
        const top = Math.round(rect.top / 2) * 2;
        lines.set(top, (lines.get(top) ?? 0) + 1);
      }
      if (lines.size < 2) continue;
      const single = [...lines.values()].filter((n) => n === 1).length;
      if (single >= lines.size / 2)
        found.push(
          `"${text.trim().slice(0, 40)}" in <${parent.tagName.toLowerCase()}>: ${lines.size} lines, ${single} of one character`,
        );
    }
    return found;
  });
}
