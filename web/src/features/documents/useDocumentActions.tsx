import { useState } from 'react';
import { App } from 'antd';
import { post } from '../../app/api';
import { tKey, useI18n } from '../../app/i18n';
import { describe } from '../../shared/errors';
import { PinDialog } from '../signatures/Signatures';
import { explainPinError, needsPin, type PinOutcome } from '../signatures/signatures';
import { CONFIRMATIONS, SEQUENCES } from './actions';
import { ActionDialog, AssignDialog } from './DocumentDialogs';
import type { ActionBody, DocAfterAction, DocDetail } from './types';

interface Open {
  name: string;
  steps: string[]; // the steps not done yet
  kind: 'pin' | 'assign' | 'confirm';
}

// The document page's actions: `start(name)` takes one — after the PIN for
// a run that signs, the assignment form for assign, the confirmation
// (actions.ts CONFIRMATIONS) for what cannot be undone or needs words, at
// once otherwise — and `dialogs` is what to render for it. A run stops at
// its first refusal: the steps done stay done, the dialog says why (under
// its field when the server names one) and retries only what is left.
export function useDocumentActions(doc: DocDetail | null, reload: () => Promise<void>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Open | null>(null);

  const runSteps = async (steps: string[], body: ActionBody, pin?: string) => {
    if (!doc) return null;
    let version = doc.version;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      try {
        const r = await post<DocAfterAction>(`/documents/${doc.id}/actions/${step}`,
          step === 'sign' && pin !== undefined ? { ...body, pin } : body, version);
        version = r.version;
      } catch (e) {
        return { error: e, remaining: steps.slice(i) };
      }
    }
    return null;
  };
  const done = (name: string) => message.success(t('action.done', { action: tKey(t, `action.${name}`) }));

  // From a dialog: a refusal is thrown back for the dialog to tell.
  const confirm = async (body: ActionBody) => {
    if (!open) return;
    setBusy(true);
    try {
      const failed = await runSteps(open.steps, body);
      await reload();
      if (failed) {
        setOpen({ ...open, steps: failed.remaining });
        throw failed.error;
      }
      done(open.name);
      setOpen(null);
    } finally {
      setBusy(false);
    }
  };

  // One click, nothing to ask: a refusal is told on the page.
  const direct = async (name: string, steps: string[]) => {
    setBusy(true);
    try {
      const failed = await runSteps(steps, {});
      await reload();
      if (failed) message.error(describe(failed.error, t));
      else done(name);
    } finally {
      setBusy(false);
    }
  };

  // The PIN dialog's submit: null when done (or failed for another reason,
  // told on the page), else what to show in the dialog.
  const signWith = async (pin: string): Promise<PinOutcome | null> => {
    if (!open) return null;
    setBusy(true);
    try {
      const failed = await runSteps(open.steps, {}, pin);
      await reload();
      if (!failed) {
        done(open.name);
        setOpen(null);
        return null;
      }
      const outcome = explainPinError(failed.error, t);
      if (outcome.pinError || outcome.locked || outcome.pinChangeRequired) {
        setOpen({ ...open, steps: failed.remaining });
        return outcome;
      }
      message.error(outcome.message);
      setOpen(null);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const start = (name: string) => {
    if (!doc) return;
    const steps = SEQUENCES[name] || [name];
    if (needsPin(steps, doc.versions.length)) setOpen({ name, steps, kind: 'pin' });
    else if (name === 'assign') setOpen({ name, steps, kind: 'assign' });
    else if (CONFIRMATIONS[name]) setOpen({ name, steps, kind: 'confirm' });
    else void direct(name, steps);
  };

  const close = () => setOpen(null);
  let dialogs = null;
  if (open?.kind === 'pin') {
    dialogs = <PinDialog title={tKey(t, `action.${open.name}`)} busy={busy} onCancel={close} onSubmit={signWith} />;
  } else if (open?.kind === 'assign') {
    dialogs = <AssignDialog onCancel={close} onSubmit={confirm} />;
  } else if (open?.kind === 'confirm') {
    dialogs = <ActionDialog action={open.name} onConfirm={confirm} onCancel={close} />;
  }
  return { busy, start, dialogs };
}
