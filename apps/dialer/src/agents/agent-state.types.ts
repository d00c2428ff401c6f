export const AGENT_STATES = ['offline', 'ready', 'reserved', 'on_call', 'wrap_up', 'paused'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** What an agent may choose themselves; the others are set by the dialer as calls come and go. */
export const AGENT_CHOSEN_STATES = ['ready', 'paused', 'offline'] as const;
export type AgentChosenState = (typeof AGENT_CHOSEN_STATES)[number];

export interface AgentStatus {
  userId: string;
  state: AgentState;
  pauseReason: string | null;
  campaignId: string | null;
  callId: string | null;
  wrapUpUntil: Date | null;
  changedAt: Date;
}

/** One change of state, as the console shows it live and as history keeps it. */
export interface AgentStateEvent extends AgentStatus {
  previous: AgentState;
}

export interface AgentStateChange {
  state: AgentState;
  pauseReason?: string | null;
  campaignId?: string | null;
  callId?: string | null;
  wrapUpUntil?: Date | null;
}
