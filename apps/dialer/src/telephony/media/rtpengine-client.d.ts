/**
 * The part of rtpengine-client 0.4.x the dialer uses (the package ships no typings). Values are
 * bencoded dictionaries: strings, numbers, lists and nested dictionaries.
 */
declare module 'rtpengine-client' {
  import { EventEmitter } from 'node:events';

  export type NgValue = string | number | Buffer | NgValue[] | { [key: string]: NgValue };
  export type NgDictionary = { [key: string]: NgValue };
  export interface NgTarget {
    host: string;
    port: number;
  }

  export interface ClientOptions {
    /** Milliseconds to wait for each reply; 0 waits forever. */
    timeout?: number;
    localPort?: number;
    localAddress?: string;
  }

  export class RtpEngineError extends Error {}

  export class Client extends EventEmitter {
    constructor(options?: ClientOptions);
    /** Cookies of commands awaiting their reply. Internal to the library; see NgRtpengineRepository. */
    protected messages: Map<string, unknown>;
    /** Internal: called with each decoded reply. */
    protected _onParsedMessage(message: { id: string; data: NgDictionary }): void;
    ping(target: NgTarget): Promise<NgDictionary>;
    offer(target: NgTarget, options: NgDictionary): Promise<NgDictionary>;
    answer(target: NgTarget, options: NgDictionary): Promise<NgDictionary>;
    delete(target: NgTarget, options: NgDictionary): Promise<NgDictionary>;
    query(target: NgTarget, options: NgDictionary): Promise<NgDictionary>;
    startRecording(target: NgTarget, options: NgDictionary): Promise<NgDictionary>;
    stopRecording(target: NgTarget, options: NgDictionary): Promise<NgDictionary>;
    playMedia(target: NgTarget, options: NgDictionary): Promise<NgDictionary>;
    stopMedia(target: NgTarget, options: NgDictionary): Promise<NgDictionary>;
    subscribeRequest(target: NgTarget, options: NgDictionary): Promise<NgDictionary>;
    subscribeAnswer(target: NgTarget, options: NgDictionary): Promise<NgDictionary>;
    unsubscribe(target: NgTarget, options: NgDictionary): Promise<NgDictionary>;
    close(): void;
  }
}
