import { perFolder, type SettingKey } from './settings';

/** A value readSettings refused. */
export interface InvalidValue {
  key: SettingKey;
  raw: unknown;
}

/** An invalid value, and where it was read. */
interface InvalidSetting extends InvalidValue {
  /** The folder whose settings hold it, for a setting each folder may set; else undefined. */
  folder?: string;
}

/**
 * The invalid setting values the user was told of, so that each is told once: settings are read
 * at every CodeLens refresh and every run, and a notice at each would bury everything else. Held
 * per setting and folder until that setting changes there (`forget`), so a value fixed and then
 * broken again is told again.
 */
export class InvalidSettingMemory {
  /** `key` and folder, to the told value as JSON. */
  private readonly told = new Map<string, { key: SettingKey; folder?: string; value: string }>();

  /**
   * The invalid values of one read of the settings (`folder`'s; undefined: the window's) the user
   * has not been told of yet. A read without a folder tells nothing of the settings each folder
   * may set: those it sees are the workspace's, which the folders' own reads report where they apply.
   */
  untold(folder: string | undefined, invalid: readonly InvalidValue[]): InvalidSetting[] {
    const fresh: InvalidSetting[] = [];
    for (const { key, raw } of invalid) {
      if (perFolder(key) && folder === undefined) continue;
      const setting: InvalidSetting = perFolder(key) ? { key, raw, folder } : { key, raw };
      const place = JSON.stringify([key, setting.folder ?? null]);
      const value = JSON.stringify(raw);
      if (this.told.get(place)?.value === value) continue;
      this.told.set(place, { key, folder: setting.folder, value });
      fresh.push(setting);
    }
    return fresh;
  }

  /** Forgets what was told of each setting, and folder, that `changed` says changed. */
  forget(changed: (key: SettingKey, folder: string | undefined) => boolean): void {
    for (const [place, { key, folder }] of this.told) if (changed(key, folder)) this.told.delete(place);
  }
}
