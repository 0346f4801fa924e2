/**
 * Text for a notification, with no link in it. VS Code turns `[label](command:id?args)` in a
 * notification's text into a link (also `https:` and `file:` targets) that runs the command, with
 * those arguments, when clicked: `workbench.action.terminal.sendSequence` types into a terminal,
 * `workbench.extensions.installExtension` installs an extension. Our notifications quote text
 * that others write: the ids and fields of a dataset's rows, file names, an endpoint's error
 * reply. Breaking `](` keeps every character readable and leaves no link (the brackets and the
 * target still show what the text said).
 */
export function inertText(text: string): string {
  return text.replace(/\]\(/g, '] (');
}
