import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import SelectorEditor from '../../../components/SelectorEditor.vue';

function editor(props: Record<string, unknown>) {
  return mount(SelectorEditor, { props: { label: 'Metric selector', kind: 'metric', modelValue: '', ...props }, attachTo: document.body });
}

describe('SelectorEditor', () => {
  it('has the accessible name of its label', () => {
    const w = editor({});
    const ta = w.get('textarea');
    expect(w.get(`label[for="${ta.attributes('id')}"]`).text()).toBe('Metric selector');
    w.unmount();
  });

  it('shows a syntax error at its position, marked invalid and described', () => {
    const w = editor({ modelValue: 'builtin:host.cpu.usage:splitBy("dt.entity.host"' });
    const err = w.get('.syntax-error');
    expect(err.text()).toMatch(/^Position \d+:/);
    expect(w.get('textarea').attributes('aria-invalid')).toBe('true');
    expect(w.get('textarea').attributes('aria-describedby')).toBe(err.attributes('id'));
    w.unmount();
  });

  it('says nothing for a valid selector', () => {
    const w = editor({ modelValue: 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg' });
    expect(w.find('.syntax-error').exists()).toBe(false);
    w.unmount();
  });

  it('checks the documented limits before sending (11 metrics)', () => {
    const w = editor({ modelValue: Array.from({ length: 11 }, (_, i) => `m${i}.x`).join(',') });
    expect(w.get('.syntax-error').text()).toMatch(/10/);
    w.unmount();
  });

  it('checks an entity selector, and a zone selector for mz criteria only', () => {
    const e = editor({ kind: 'entity', label: 'Entity selector', modelValue: 'tag("x"' });
    expect(e.find('.syntax-error').exists()).toBe(true);
    e.unmount();
    const z = editor({ kind: 'zone', label: 'Management zone selector', modelValue: 'type(HOST)' });
    expect(z.get('.syntax-error').text()).toMatch(/mzId/);
    z.unmount();
    const ok = editor({ kind: 'zone', label: 'Management zone selector', modelValue: 'mzName("Production EU")' });
    expect(ok.find('.syntax-error').exists()).toBe(false);
    ok.unmount();
  });

  it('asks for completions of the word at the caret and accepts one by keyboard', async () => {
    const w = editor({ modelValue: '' });
    const ta = w.get('textarea');
    (ta.element as HTMLTextAreaElement).value = 'builtin:host.c';
    await ta.trigger('input');
    expect(w.emitted('complete')?.at(-1)).toEqual(['builtin:host.c']);
    await w.setProps({ modelValue: 'builtin:host.c', suggestions: ['builtin:host.cpu.usage', 'builtin:host.cpu.idle'] });
    expect(w.findAll('[role="option"]')).toHaveLength(2);
    await ta.trigger('keydown', { key: 'ArrowDown' });
    await ta.trigger('keydown', { key: 'ArrowDown' });
    expect(ta.attributes('aria-activedescendant')).toMatch(/-1$/);
    await ta.trigger('keydown', { key: 'Enter' });
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual(['builtin:host.cpu.idle']);
    w.unmount();
  });

  it('submits on Ctrl+Enter', async () => {
    const w = editor({ modelValue: 'a.b' });
    await w.get('textarea').trigger('keydown', { key: 'Enter', ctrlKey: true });
    expect(w.emitted('submit')).toHaveLength(1);
    w.unmount();
  });
});
