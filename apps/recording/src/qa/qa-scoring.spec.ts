import { answersProblem, weightedTotal } from './qa-scoring';

describe('QA scoring', () => {
  const criteria = [
    { key: 'greeting', label: 'Greeting', weight: 1, maxPoints: 5 },
    { key: 'compliance', label: 'Compliance', weight: 3, maxPoints: 10 },
  ];

  it('weights each criterion by its share of the total weight', () => {
    expect(weightedTotal(criteria, [{ key: 'greeting', points: 5 }, { key: 'compliance', points: 10 }])).toBe(100);
    expect(weightedTotal(criteria, [{ key: 'greeting', points: 0 }, { key: 'compliance', points: 10 }])).toBe(75);
    expect(weightedTotal(criteria, [{ key: 'greeting', points: 5 }, { key: 'compliance', points: 5 }])).toBe(62.5);
    expect(weightedTotal(criteria, [{ key: 'greeting', points: 1 }, { key: 'compliance', points: 3 }])).toBe(27.5);
  });

  it('refuses missing, unknown, repeated and out-of-range answers', () => {
    expect(answersProblem(criteria, [{ key: 'greeting', points: 5 }, { key: 'compliance', points: 1 }])).toBeNull();
    expect(answersProblem(criteria, [{ key: 'greeting', points: 5 }])).toMatch(/every criterion/);
    expect(answersProblem(criteria, [{ key: 'greeting', points: 5 }, { key: 'other', points: 1 }])).toMatch(/does not have/);
    expect(answersProblem(criteria, [{ key: 'greeting', points: 5 }, { key: 'greeting', points: 1 }])).toMatch(/twice/);
    expect(answersProblem(criteria, [{ key: 'greeting', points: 6 }, { key: 'compliance', points: 1 }])).toMatch(/between/);
  });
});
