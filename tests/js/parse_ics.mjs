// Parse an iCalendar file with Mozilla's ical.js and print what it understood as JSON.
// Usage: node parse_ics.mjs FILE.ics
// Exits 1 with the parser's message on any parse error, so the Python test fails with it.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
let calendar;
try {
  calendar = new ICAL.Component(ICAL.parse(text));
} catch (error) {
  console.error(`ical.js could not parse the feed: ${error.message}`);
  process.exit(1);
}

const value = (component, name) => {
  const property = component.getFirstProperty(name);
  return property ? String(property.getFirstValue()) : null;
};
const type = (component, name) => {
  const property = component.getFirstProperty(name);
  return property ? property.type : null;
};

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    sequence: event.sequence,
    start: event.startDate.toString(),
    startIsDate: event.startDate.isDate,
    end: event.endDate.toString(),
    endIsDate: event.endDate.isDate,
    days: event.endDate.subtractDate(event.startDate).toSeconds() / 86400,
    dtstamp: value(vevent, "dtstamp"),
    lastModified: value(vevent, "last-modified"),
    url: value(vevent, "url"),
    categories: vevent
      .getAllProperties("categories")
      .flatMap((property) => property.getValues().map(String)),
  };
});

console.log(
  JSON.stringify({
    name: calendar.name,
    version: value(calendar, "version"),
    prodid: value(calendar, "prodid"),
    calendarName: value(calendar, "name"),
    wrCalname: value(calendar, "x-wr-calname"),
    refreshInterval: value(calendar, "refresh-interval"),
    refreshIntervalType: type(calendar, "refresh-interval"),
    publishedTtl: value(calendar, "x-published-ttl"),
    events,
  }),
);
