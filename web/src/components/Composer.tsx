import { useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api, errorMessage, type Card, type CardKind, type Message } from '../api';
import { safeHttpUrl } from '../format';
import { Icon } from './Icon';

const MAX_TEXT = 10_000; // docs/API.md

type Props = { threadId: string; disabled: boolean; onSent: (message: Message) => void };

type CardDraft = { kind: CardKind; title: string; url: string; subtitle: string };
const EMPTY_CARD: CardDraft = { kind: 'link', title: '', url: '', subtitle: '' };

export function Composer({ threadId, disabled, onSent }: Props) {
  const [text, setText] = useState('');
  const [isCardOpen, setCardOpen] = useState(false);
  const [card, setCard] = useState<CardDraft>(EMPTY_CARD);
  const [error, setError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const ids = {
    text: useId(),
    cardFields: useId(),
    kind: useId(),
    title: useId(),
    url: useId(),
    subtitle: useId(),
    error: useId(),
  };

  // Grow with the text up to the CSS max-height, then scroll.
  useLayoutEffect(() => {
    const el = textareaRef.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [text]);

  function buildCard(): Card | string | null {
    if (!isCardOpen) return null;
    const title = card.title.trim();
    const url = card.url.trim();
    if (!title && !url && !card.subtitle.trim()) return null;
    if (!title) return 'Give the card a title.';
    if (!safeHttpUrl(url)) return 'Give the card a web address starting with https:// or http://.';
    const subtitle = card.subtitle.trim();
    return { kind: card.kind, title, url, ...(subtitle ? { subtitle } : {}) };
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (disabled) return;
    const body = text.trim();
    const built = buildCard();
    if (typeof built === 'string') {
      setError(built);
      return;
    }
    if (!body && !built) {
      if (isCardOpen) setError('Write a message or fill in the card.');
      return;
    }
    if (body.length > MAX_TEXT) {
      setError(`A message can be at most ${MAX_TEXT.toLocaleString()} characters.`);
      return;
    }
    setError(null);
    // Clear at once so the next message can be typed; put it back if sending fails.
    const previous = { text, card, isCardOpen };
    setText('');
    if (built) {
      setCard(EMPTY_CARD);
      setCardOpen(false);
    }
    api
      .sendMessage(threadId, { ...(body ? { text: body } : {}), ...(built ? { card: built } : {}) })
      .then(onSent)
      .catch((e: unknown) => {
        setError(errorMessage(e));
        setText((current) => (current ? current : previous.text));
        if (built) {
          setCard(previous.card);
          setCardOpen(previous.isCardOpen);
        }
      });
    textareaRef.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter is a new line; never while an input method is composing.
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.nativeEvent.isComposing) return;
    event.preventDefault();
    formRef.current?.requestSubmit();
  }

  return (
    <form ref={formRef} className="composer" onSubmit={submit} noValidate>
      {isCardOpen && (
        <fieldset id={ids.cardFields} className="card-fields">
          <legend>Attach a link card</legend>
          <div className="field">
            <label htmlFor={ids.kind}>Card kind</label>
            <select
              id={ids.kind}
              value={card.kind}
              onChange={(e) => setCard({ ...card, kind: e.target.value as CardKind })}
            >
              <option value="song">Song</option>
              <option value="show">Show</option>
              <option value="link">Link</option>
            </select>
          </div>
          <div className="field grow">
            <label htmlFor={ids.title}>Card title</label>
            <input
              id={ids.title}
              value={card.title}
              onChange={(e) => setCard({ ...card, title: e.target.value })}
            />
          </div>
          <div className="field grow">
            <label htmlFor={ids.url}>Card URL</label>
            <input
              id={ids.url}
              type="url"
              inputMode="url"
              placeholder="https://"
              value={card.url}
              onChange={(e) => setCard({ ...card, url: e.target.value })}
            />
          </div>
          <div className="field grow">
            <label htmlFor={ids.subtitle}>Card subtitle (optional)</label>
            <input
              id={ids.subtitle}
              value={card.subtitle}
              onChange={(e) => setCard({ ...card, subtitle: e.target.value })}
            />
          </div>
        </fieldset>
      )}
      <div className="composer-row">
        <button
          type="button"
          className={`button subtle attach${isCardOpen ? ' active' : ''}`}
          aria-expanded={isCardOpen}
          aria-controls={isCardOpen ? ids.cardFields : undefined}
          onClick={() => setCardOpen((open) => !open)}
        >
          <Icon name="link" /> <span className="visually-hidden">Attach </span>Card
        </button>
        <label htmlFor={ids.text} className="visually-hidden">
          Message
        </label>
        <textarea
          ref={textareaRef}
          id={ids.text}
          rows={1}
          placeholder="Write a message…"
          maxLength={MAX_TEXT}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby={error ? ids.error : undefined}
          disabled={disabled}
        />
        <button type="submit" className="button primary" disabled={disabled}>
          Send
        </button>
      </div>
      {error && (
        <p id={ids.error} className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
