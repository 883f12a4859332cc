import { useEffect, useRef, useState } from 'preact/hooks';

export interface Confirmation {
  title: string;
  detail: string;
  confirmLabel: string;
  /** Sends the change, with the reason the user gave (may be empty). */
  run: (reason: string) => Promise<void>;
}

/** A modal question before a change of live traffic; Escape or Cancel leaves everything as it was. */
export function ConfirmDialog(props: { pending: Confirmation | null; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');

  useEffect(() => {
    const element = dialog.current as HTMLDialogElement;
    if (props.pending && !element.open) {
      setReason('');
      element.showModal();
    }
    if (!props.pending && element.open) element.close();
  }, [props.pending]);

  const confirm = () => {
    const pending = props.pending;
    props.onClose();
    void pending?.run(reason.trim());
  };

  return (
    <dialog ref={dialog} aria-labelledby="confirm-title" aria-describedby="confirm-detail" onClose={props.onClose}>
      <h2 id="confirm-title">{props.pending?.title}</h2>
      <p id="confirm-detail">{props.pending?.detail}</p>
      <label for="confirm-reason">Reason, for the audit log (optional)</label>
      <input
        id="confirm-reason"
        type="text"
        maxLength={200}
        value={reason}
        onInput={(e) => setReason((e.target as HTMLInputElement).value)}
      />
      <div class="buttons">
        <button type="button" onClick={props.onClose} autofocus>
          Cancel
        </button>
        <button type="button" class="danger" onClick={confirm}>
          {props.pending?.confirmLabel ?? 'Confirm'}
        </button>
      </div>
    </dialog>
  );
}
