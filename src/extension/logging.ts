import * as vscode from 'vscode';
import type { LogLevelSetting } from './settings';

/** Language id of the run-log grammar (syntaxes/porta-log.tmLanguage.json). */
export const LOG_LANGUAGE = 'porta-log';

/** The Porta log: a LogOutputChannel filtered by porta.logLevel (the channel itself has no level setter). */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
  show(): void;
  readonly channel: vscode.LogOutputChannel;
}

const ORDER: LogLevelSetting[] = ['trace', 'debug', 'info', 'warn', 'error', 'off'];

export function createLogger(name: string, level: () => LogLevelSetting): Logger {
  const channel = vscode.window.createOutputChannel(name, { log: true });
  const on = (wanted: LogLevelSetting) => ORDER.indexOf(wanted) >= ORDER.indexOf(level());
  return {
    channel,
    trace: (m) => on('trace') && channel.trace(m),
    debug: (m) => on('debug') && channel.debug(m),
    info: (m) => on('info') && channel.info(m),
    warn: (m) => on('warn') && channel.warn(m),
    error: (m) => on('error') && channel.error(m),
    show: () => channel.show(true),
  };
}
