/** Listeners of a component's state changes; a throwing listener never stops the others or the component. */
export class StateListeners<S> {
  private readonly listeners = new Set<(state: S) => void>();

  add(listener: (state: S) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(state: S): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch {
        // A listener's bug must not take down the supervision loop that called it.
      }
    }
  }
}
