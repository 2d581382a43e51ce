// What every suite is told: how big and how long (full or --quick), whether the server is
// profiled, and where progress goes.

export interface Sizes {
  /** Each measured HTTP run (subject and its paired baseline), seconds. */
  httpSeconds: number;
  /** The unmeasured run before each subject, seconds. */
  warmupSeconds: number;
  /** Authorization codes exchanged in the measured oauth.code_exchange run. */
  codes: number;
  /** Each policy engine is timed for this long, seconds. */
  policySeconds: number;
  /** Grants in the policy world. */
  policyGrants: number;
  /** Subject and baseline of each tlog benchmark, seconds each. */
  tlogSeconds: number;
  /** Entries of the large log of tlog.proof. */
  proofEntries: number;
  /** Concurrent appenders of tlog.append (and entries per commit of its baseline). */
  appenders: number;
  /** WebSocket clients of realtime.fanout. */
  fanoutClients: number;
  /** realtime.fanout subject and baseline, seconds each. */
  fanoutSeconds: number;
  /** WebSocket clients of memory.ws_client. */
  memoryClients: number;
  /** How long the server may settle before its idle RSS is read, seconds. */
  idleSettleSeconds: number;
}

export const FULL: Sizes = {
  httpSeconds: 10,
  warmupSeconds: 3,
  codes: 3_000,
  policySeconds: 3,
  policyGrants: 10_000,
  tlogSeconds: 5,
  proofEntries: 1_000_000,
  appenders: 64,
  fanoutClients: 1_000,
  fanoutSeconds: 10,
  memoryClients: 5_000,
  idleSettleSeconds: 10,
};

/** Under 5 minutes on 2 cores: the same sizes where they are what the goal is about, shorter runs. */
export const QUICK: Sizes = {
  httpSeconds: 3,
  warmupSeconds: 1,
  codes: 1_000,
  policySeconds: 1,
  policyGrants: 10_000,
  tlogSeconds: 2,
  proofEntries: 1_000_000,
  appenders: 64,
  fanoutClients: 1_000,
  fanoutSeconds: 4,
  memoryClients: 5_000,
  idleSettleSeconds: 5,
};

export interface Context {
  readonly isQuick: boolean;
  readonly sizes: Sizes;
  /** Node flags for the Parley server (e.g. --cpu-prof), or none. */
  serverNodeArgs(label: string): string[];
  /** Whether this benchmark was asked for (--only). */
  wants(name: string): boolean;
  log(message: string): void;
}
