export * from './g711';
export * from './pcap';
export * from './rtp';
export * from './segmented-file';
export * from './wav';
