// Open GraphiQL at BASE_URL/graphql in Debian's headless Chromium with every request that
// does not go to BASE_URL's host blocked, run the default query and report what happened.
// Usage: node drive_graphiql.mjs BASE_URL. Prints JSON; exits 1 with a message on failure.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [baseUrl] = process.argv.slice(2);
const local = new URL(baseUrl).host;
const profile = mkdtempSync(join(tmpdir(), "stratagraph-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
});
const blocked = [];
const requested = [];
await context.route("**/*", (route) => {
  const url = new URL(route.request().url());
  if (url.host === local || url.protocol === "data:") {
    requested.push(url.pathname);
    return route.continue();
  }
  blocked.push(url.href);
  return route.abort("blockedbyclient");
});
try {
  const page = await context.newPage();
  const errors = [];
  const console_ = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => console_.push(`${message.type()}: ${message.text()}`));
  const response = await page.goto(`${baseUrl}/graphql`, { waitUntil: "load" });
  await page.locator(".graphiql-container").waitFor({ timeout: 30000 });
  await page.locator(".graphiql-query-editor .CodeMirror").waitFor({ timeout: 30000 });
  await page.locator(".graphiql-execute-button").click();
  await page.waitForFunction(
    () => {
      const result = document.querySelector(".result-window .CodeMirror");
      return result && result.CodeMirror && result.CodeMirror.getValue().includes('"data"');
    },
    null,
    { timeout: 30000 },
  );
  const result = await page.evaluate(
    () => document.querySelector(".result-window .CodeMirror").CodeMirror.getValue(),
  );
  console.log(
    JSON.stringify({
      status: response.status(),
      csp: response.headers()["content-security-policy"] || null,
      title: await page.title(),
      schemaLink: await page.getByRole("link", { name: "/schema.graphql" }).getAttribute("href"),
      result: JSON.parse(result),
      blocked,
      requested,
      errors,
      violations: console_.filter((line) => line.includes("Content Security Policy")),
      console: console_,
    }),
  );
} catch (error) {
  console.error(`browser test failed: ${error.stack || error}\nblocked: ${blocked.join(" ")}`);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
