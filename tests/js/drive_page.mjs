// Read the page at BASE_URL/ in Debian's headless Chromium as a person would: its plans and
// timeline, a click on a timeline bar, a task page and a law page; axe-core on each; the
// page on a phone-sized screen and with JavaScript off. Requests to other hosts are blocked.
// Usage: node drive_page.mjs BASE_URL SCREENSHOT_DIR. Prints JSON; exits 1 on failure.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [baseUrl, shots] = process.argv.slice(2);
const local = new URL(baseUrl).host;
const profile = mkdtempSync(join(tmpdir(), "stratagraph-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // axe-core is injected as a script: let it past the page's CSP (the page's own scripts
  // do not need this, it has none).
  bypassCSP: true,
  viewport: { width: 1280, height: 900 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
});
const blocked = [];
await browser.route("**/*", (route) => {
  const url = new URL(route.request().url());
  if (url.host === local || url.protocol === "data:") return route.continue();
  blocked.push(url.href);
  return route.abort("blockedbyclient");
});

async function axe(page) {
  await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"] }),
  );
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    nodes: v.nodes.length,
    help: v.help,
    target: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}

try {
  const page = await browser.newPage();
  const errors = [];
  const violations = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(message.text());
  });
  const response = await page.goto(`${baseUrl}/`);
  const home = {
    status: response.status(),
    strategies: await page.locator("section.strategy > h4").allTextContents(),
    taskLinks: await page.locator("article.task a.code").count(),
    quotes: await page.locator("ul.sources blockquote").count(),
    lawLinks: await page.locator('ul.laws a[href^="/laws/"]').count(),
    firstSubmit: await page
      .locator("form button[type=submit]")
      .first()
      .evaluate((b) => ({ text: b.textContent, formaction: b.getAttribute("formaction") })),
    subscribeHelp: await page.locator("#subscribe-help + dl").innerText(),
    timeline: await page.locator("svg.timeline-picture").evaluate((svg) => ({
      lanes: svg.querySelectorAll("g.lane").length,
      bars: svg.querySelectorAll("a.milestone").length,
      openStart: svg.querySelectorAll("a.milestone.open-start").length,
      openEnd: svg.querySelectorAll("a.milestone.open-end").length,
      years: [...svg.querySelectorAll("g.axis text")].map((t) => t.textContent),
      width: svg.getBoundingClientRect().width,
    })),
    axe: await axe(page),
  };
  await page.screenshot({ path: join(shots, "page.png"), fullPage: false });
  // Enter in a filter field submits with the form's first button: the page, not a download.
  await page.locator('select[name="plan"]').selectOption({ index: 1 });
  await page.locator('input[name="strategy"]').press("Enter");
  await page.waitForLoadState("load");
  const afterEnter = { url: page.url(), plans: await page.locator("article.plan > h3").count() };

  // A bar of the timeline leads to its task page, at the milestone.
  await page.goto(`${baseUrl}/`);
  const bar = page.locator("svg.timeline-picture a.milestone").first();
  const barHref = await bar.getAttribute("href");
  await bar.click();
  await page.waitForLoadState("load");
  const hash = new URL(page.url()).hash.slice(1);
  const task = {
    url: page.url(),
    barHref,
    heading: await page.locator("main h1").textContent(),
    target: await page.evaluate((id) => !!document.getElementById(decodeURIComponent(id)), hash),
    axe: await axe(page),
  };
  const lawHref = await page.evaluate(() => {
    const a = document.querySelector('a[href^="/laws/"]');
    return a ? a.getAttribute("href") : null;
  });
  let law = null;
  const anyLaw = lawHref || (await (async () => {
    await page.goto(`${baseUrl}/`);
    return page.locator('ul.laws a[href^="/laws/"]').first().getAttribute("href");
  })());
  await page.goto(`${baseUrl}${anyLaw}`);
  law = {
    url: page.url(),
    heading: await page.locator("main h1").textContent(),
    tasks: await page.locator('main a[href^="/tasks/"]').count(),
    axe: await axe(page),
  };

  // A phone: nothing wider than the screen except the timeline, which scrolls in its box.
  const phone = await browser.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${baseUrl}/`);
  const phoneView = await phone.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    timelineScrolls:
      document.querySelector(".timeline").scrollWidth >
      document.querySelector(".timeline").clientWidth,
    fontSize: parseFloat(getComputedStyle(document.body).fontSize),
  }));
  phoneView.axe = await axe(phone);
  await phone.screenshot({ path: join(shots, "phone.png") });

  console.log(
    JSON.stringify({ home, afterEnter, task, law, phone: phoneView, blocked, errors, violations }),
  );
} catch (error) {
  console.error(`browser test failed: ${error.stack || error}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
