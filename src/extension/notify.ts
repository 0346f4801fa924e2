import * as vscode from 'vscode';
import { inertText } from './inert-text';

/**
 * The extension's notifications. Every message goes through inertText, so text quoted from a
 * dataset, a file name or a server cannot become a command link; lint sends every
 * `window.show*Message` call here.
 */
export function showError(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showErrorMessage(inertText(message), ...items);
}

export function showWarning(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(inertText(message), ...items);
}

export function showInformation(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showInformationMessage(inertText(message), ...items);
}
