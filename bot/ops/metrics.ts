import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the people who run the bot watch on GET /metrics (Prometheus). One registry per process. */
export class Metrics {
  readonly registry = new Registry();
  readonly turns = new Counter({ name: 'planeringsboten_turns_total', help: 'Turns by activity type', labelNames: ['type'], registers: [this.registry] });
  readonly turnSeconds = new Histogram({
    name: 'planeringsboten_turn_duration_seconds',
    help: 'Turn latency, from the request to the last reply',
    labelNames: ['type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly questions = new Counter({ name: 'planeringsboten_questions_total', help: 'Questions by outcome', labelNames: ['outcome'], registers: [this.registry] });
  readonly cardActions = new Counter({ name: 'planeringsboten_card_actions_total', help: 'Card button clicks and refreshes by verb', labelNames: ['verb', 'trigger'], registers: [this.registry] });
  readonly proactiveSends = new Counter({ name: 'planeringsboten_proactive_sends_total', help: 'Proactive messages by result (sent, gone, failed)', labelNames: ['result'], registers: [this.registry] });
  readonly rejected = new Counter({ name: 'planeringsboten_rejected_requests_total', help: 'Requests refused before a turn, by reason', labelNames: ['reason'], registers: [this.registry] });
  /** Read when scraped: the send queue exists only once storage is ready. */
  queueDepthSource: () => number = () => 0;
  readonly queueDepth: Gauge = new Gauge({
    name: 'planeringsboten_send_queue_depth',
    help: 'Proactive messages waiting or being sent',
    registers: [this.registry],
    collect: (): void => this.queueDepth.set(this.queueDepthSource()),
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'planeringsboten_' });
  }
}
