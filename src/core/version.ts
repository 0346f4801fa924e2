import { VERSION as OPENAI_SDK_VERSION } from 'openai/version';
// A named import: the bundles keep package.json's version alone, not the whole manifest.
import { version } from '../../package.json';

/** This release of TOA Studio (package.json's version), for `toa --version` and the user agent. */
export const TOA_VERSION: string = version;

/**
 * How our requests name their sender, so a server's logs show the tool that called (the SDK
 * would name its subclass, "ChatClient/JS"). Chat calls add the SDK's own part after it.
 */
export const USER_AGENT = `TOA-Studio/${TOA_VERSION}`;

/** The User-Agent of chat calls: ours, then the SDK's, which servers may read to know the client. */
export const CHAT_USER_AGENT = `${USER_AGENT} OpenAI/JS ${OPENAI_SDK_VERSION}`;
