import { useEffect, useRef } from 'preact/hooks';

export interface Confirmation {
  title: string;
  detail: string;
  confirmLabel: string;
  run: () => Promise<void>;
}

/** A modal question before a change of live traffic; Escape or Cancel leaves everything as it was. */
export function ConfirmDialog(props: { pending: Confirmation | null; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current as HTMLDialogElement;
    if (props.pending && !element.open) element.showModal();
    if (!props.pending && element.open) element.close();
  }, [props.pending]);

  const confirm = () => {
    const pending = props.pending;
    props.onClose();
    void pending?.run();
  };

  return (
    <dialog ref={dialog} aria-labelledby="confirm-title" aria-describedby="confirm-detail" onClose={props.onClose}>
      <h2 id="confirm-title">{props.pending?.title}</h2>
      <p id="confirm-detail">{props.pending?.detail}</p>
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
