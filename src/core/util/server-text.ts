import { clip, excerpt } from './excerpt';

/**
 * The longest server text quoted, on one line. A server may send a page: vLLM's validation
 * errors list every field, a Python server adds its stack trace, a proxy sends an HTML page. Its
 * start says what went wrong; the rest would fill the panel, the log and the terminal.
 */
const MAX_SERVER_TEXT = 300;

/**
 * How much of an HTML page is read to quote it. A page's start says what it is, and its title
 * and first text say what went wrong; the markup regexes below over a body of megabytes would
 * hold the event loop (and every timeout) for as long as they take. Other text needs no such cap:
 * clip reads only as far as it keeps, and the traceback search is a few indexOf and sticky scans.
 */
const READ = 8192;

/**
 * What a server said (an error body, or the message in it), as errors quote it: on one line, at
 * most MAX_SERVER_TEXT characters and "…", a Python traceback as the exception it
 * raised (see withoutTraceback), and an HTML page as its size and text (see htmlPage).
 */
export function serverText(body: string): string {
  const start = body.slice(0, READ);
  return isHtml(start) ? htmlPage(start, body) : clip(withoutTraceback(body), MAX_SERVER_TEXT);
}

/**
 * A reply that should have been JSON, as errors quote it: an HTML page (a login portal, a
 * baseURL without /v1) as serverText says it, other text by its start, quoted so that empty or
 * odd text is visible as such.
 */
export function replyExcerpt(body: string): string {
  const start = body.slice(0, READ);
  return isHtml(start) ? htmlPage(start, body) : excerpt(body);
}

/**
 * A document that starts as HTML does (comments and an XML declaration aside). The comments are
 * skipped by indexOf: a regex repeating a lazy comment token backtracks exponentially on a run of
 * comments that a tag does not follow.
 */
function isHtml(text: string): boolean {
  let at = afterSpace(text, 0);
  if (text.startsWith('<?xml', at)) at = afterSpace(text, text.indexOf('>', at) + 1 || text.length);
  while (text.startsWith('<!--', at)) {
    const end = text.indexOf('-->', at + 4);
    if (end < 0) return false;
    at = afterSpace(text, end + 3);
  }
  const tag = /<(?:!doctype\s+html|html|head|body|title)\b/iy;
  tag.lastIndex = at;
  return tag.test(text);
}

function afterSpace(text: string, at: number): number {
  const space = /\s*/y;
  space.lastIndex = at;
  space.test(text);
  return space.lastIndex;
}

/**
 * `an HTML page (183 bytes): "502 Bad Gateway nginx"`: its markup says nothing to a reader.
 * The title leads unless the text starts with it already (nginx repeats it as a heading). Both
 * are read from the page's start; the size is the whole body's.
 */
function htmlPage(start: string, body: string): string {
  const size = `an HTML page (${new TextEncoder().encode(body).length} bytes)`;
  const title = flat(decodeEntities(titleOf(start)));
  const text = flat(decodeEntities(withoutMarkup(start)));
  const said = !title || text.startsWith(title) ? text : text ? `${title}: ${text}` : title;
  return said ? `${size}: "${clip(said, MAX_SERVER_TEXT - size.length - 5)}"` : size;
}

/**
 * The first title element's text. Found by its first start tag: a regex matching the whole
 * element would look for an end tag after every `<title` of a page full of them.
 */
function titleOf(html: string): string {
  const open = /<title\b/i.exec(html);
  const from = open ? html.indexOf('>', open.index) + 1 : 0;
  if (!from) return '';
  const close = /<\/title\s*>/gi;
  close.lastIndex = from;
  const end = close.exec(html);
  return end ? html.slice(from, end.index) : '';
}

/**
 * The page's visible text: no comments, no head (the title is read apart), scripts or styles,
 * and no tags. A comment, element or tag left open runs to the end, as browsers read it (and as
 * the page's start, cut, often has it): each match then ends at its close or at the end, where
 * one that had to fail would be tried again from every later start. An open head ends where the
 * body starts, since its end tag is optional.
 */
function withoutMarkup(html: string): string {
  return html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/<head\b[\s\S]*?(?:<\/head\s*>|(?=<body\b)|$)/gi, ' ')
    .replace(/<(script|style|noscript|template)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ')
    .replace(/<[^>]*(?:>|$)/g, ' ');
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}

function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const TRACEBACK = 'Traceback (most recent call last):';

/**
 * The text before a traceback says where the error was logged, rarely what it was: at most
 * MAX_PREFIX characters of it are kept, and none if fewer than MIN_PREFIX would fit.
 */
const MAX_PREFIX = 80;
const MIN_PREFIX = 20;

/**
 * A Python traceback's frames name files on the server; the exception says what went wrong, and
 * leads, so the cut cannot take it. With chained exceptions ("The above exception was the direct
 * cause...", "During handling of the above exception..."), the last raised is often a wrapper
 * ("Engine core initialization failed. See root cause above."): the first follows it, as `last
 * (after: first)`, each given half the length kept. Text before the traceback comes after them,
 * shortened.
 */
function withoutTraceback(text: string): string {
  const first = text.indexOf(TRACEBACK);
  if (first < 0) return text;
  const lastAt = text.lastIndexOf(TRACEBACK);
  const last = exceptionIn(text.slice(lastAt));
  if (last === undefined) return text;
  const cause = lastAt === first ? undefined : exceptionIn(text.slice(first, text.indexOf(TRACEBACK, first + TRACEBACK.length)), true);
  const half = MAX_SERVER_TEXT / 2 - 10;
  const raised = cause === undefined ? clip(last, MAX_SERVER_TEXT) : `${clip(last, half)} (after: ${clip(cause, half)})`;
  // The text before gets the room the exceptions leave, if that is enough to say something.
  const room = Math.min(MAX_PREFIX, MAX_SERVER_TEXT - raised.length - 4);
  const before = room < MIN_PREFIX ? '' : clip(text.slice(0, first), room);
  return before ? `${raised} — ${before}` : raised;
}

/**
 * The exception a traceback ends with: the lines after its frames, which are the lines indented
 * under the header. It goes on over unindented lines (a pydantic error lists its fields); one
 * that another followed ends at the blank line before the chaining sentence. Found by regex
 * rather than split into lines: a body of a million newlines would make a million strings.
 */
function exceptionIn(traceback: string, followed = false): string | undefined {
  const unindented = /\n(?=\S)/g;
  unindented.lastIndex = TRACEBACK.length;
  const start = unindented.exec(traceback)?.index;
  if (start === undefined) return undefined;
  const blank = /\n[^\S\n]*(?:\n|$)/g;
  blank.lastIndex = start + 1;
  const end = followed ? blank.exec(traceback)?.index : undefined;
  return traceback.slice(start + 1, end);
}
