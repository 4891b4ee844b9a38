import { describe, expect, it } from 'vitest';
import { deadlineStatus } from './deadline';

describe('deadline highlighting', () => {
  const today = '2026-11-23';
  const until = '2026-11-26'; // three working days ahead

  it('marks open work past its deadline as overdue', () => {
    expect(deadlineStatus('2026-11-20', 'assigned', today, until)).toBe('overdue');
    expect(deadlineStatus('2026-11-22', 'in_progress', today, until)).toBe('overdue');
  });

  it('marks work due today or within the window as due soon', () => {
    expect(deadlineStatus('2026-11-23', 'assigned', today, until)).toBe('due_soon');
    expect(deadlineStatus('2026-11-26', 'assigned', today, until)).toBe('due_soon');
    expect(deadlineStatus('2026-11-27', 'assigned', today, until)).toBe('normal');
  });

  it('never highlights finished work or work without a deadline', () => {
    expect(deadlineStatus('2026-11-01', 'completed', today, until)).toBe('normal');
    expect(deadlineStatus('2026-11-01', 'filed', today, until)).toBe('normal');
    expect(deadlineStatus(null, 'assigned', today, until)).toBe('normal');
  });
});
