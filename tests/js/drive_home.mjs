// Drive the page at "/" in Debian's headless Chromium: read it, pick a plan, click a
// download button and save the file. Usage: node drive_home.mjs BASE_URL FORMAT OUT_DIR
// Prints what the page showed as JSON; exits 1 with a message on any failure.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [baseUrl, format, outDir] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), "stratagraph-chromium-"));
// A fresh profile: Playwright takes it as the persistent context's user-data-dir.
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  acceptDownloads: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  const violations = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(message.text());
  });
  const response = await page.goto(`${baseUrl}/`);
  const plans = await page.locator("article.plan > h3").allTextContents();
  const buttons = await page.locator("button[formaction]").evaluateAll((nodes) =>
    nodes.map((node) => ({ action: node.getAttribute("formaction"), label: node.textContent })),
  );
  const webcal = await page.locator('a[href^="webcal://"]').evaluateAll((nodes) =>
    nodes.map((node) => node.getAttribute("href")),
  );
  const graphiql = await page.getByRole("link", { name: "GraphiQL" }).getAttribute("href");
  const firstPlan = await page.locator('select[name="plan"] option').nth(1).getAttribute("value");
  await page.locator('select[name="plan"]').selectOption(firstPlan);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(`button[formaction="/exports/${format}"]`).click(),
  ]);
  const failure = await download.failure();
  const path = join(outDir, download.suggestedFilename());
  await download.saveAs(path);
  console.log(
    JSON.stringify({
      status: response.status(),
      title: await page.title(),
      heading: await page.locator("h1").textContent(),
      plans,
      buttons,
      webcal,
      graphiql,
      chosenPlan: firstPlan,
      download: { url: download.url(), filename: download.suggestedFilename(), path, failure },
      errors,
      violations,
    }),
  );
} catch (error) {
  console.error(`browser test failed: ${error.stack || error}`);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
