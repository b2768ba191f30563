import type { FormInstance, FormItemRule } from 'element-plus';
import { ref, watch, type WatchSource } from 'vue';
import type { Problem } from './api/client';

/**
 * A form that sends one command (a 督办, an answer): checked before sending, `sending` while it goes, and the
 * API's refusal kept for the dialog to show. Cleared (fields, refusal, messages) whenever `subject` changes: the
 * dialog opened on something else.
 */
export function useFormCommand(subject: WatchSource, clear: () => void) {
  const formRef = ref<FormInstance>();
  const problem = ref<Problem | null>(null);
  const sending = ref(false);

  watch(subject, () => {
    clear();
    problem.value = null;
    formRef.value?.clearValidate();
  });

  /** Sends `command` if the form checks out: what the API answered when it took it, else null. */
  async function send<T>(command: () => Promise<{ data?: T; error?: Problem }>): Promise<T | null> {
    if (!(await formRef.value?.validate().catch(() => false))) return null;
    sending.value = true;
    problem.value = null;
    const { data, error } = await command();
    sending.value = false;
    problem.value = error ?? null;
    return error ? null : (data ?? null);
  }

  return { formRef, problem, sending, send };
}

/** A form rule from a check that names what is wrong (null: nothing), said in words by `say`; checked on leaving the field. */
export function ruleOf<T, P extends string>(check: (value: T) => P | null, say: (problem: P) => string): FormItemRule[] {
  return [
    {
      validator: (_rule, value: T, done) => {
        const wrong = check(value);
        done(wrong === null ? undefined : say(wrong));
      },
      trigger: 'blur',
    },
  ];
}
