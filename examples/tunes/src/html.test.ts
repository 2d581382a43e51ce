import { describe, expect, it } from 'vitest';
import { html, srOnly } from './html.js';
import { idList, pendingMap } from './pending.js';

describe('html', () => {
  it('escapes every interpolated value, and only those', () => {
    const name = `<script>alert("x")</script> & 'friends'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;</p>',
    );
  });

  it('keeps nested templates, joins arrays and drops empty values', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    // prettier-ignore
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0');
    expect(html`<button>Share${srOnly(' Paper & Planets')}</button>`.value).toBe(
      '<button>Share<span class="sr-only"> Paper &amp; Planets</span></button>',
    );
  });
});

describe('return links', () => {
  it('reads comma-separated ids and drops anything else', () => {
    expect(idList('01a2,b_c-d')).toEqual(['01a2', 'b_c-d']);
    expect(idList('x,<script>,,y z')).toEqual(['x']);
    expect(idList(undefined)).toEqual([]);
    expect(idList(['a'])).toEqual([]);
  });

  it('gives each pending value back once, and not after it expired', async () => {
    const pending = pendingMap<string>(50);
    const key = pending.put('state');
    expect(pending.take(key)).toBe('state');
    expect(pending.take(key)).toBeUndefined();
    const late = pending.put('late');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(pending.take(late)).toBeUndefined();
    expect(pending.take('never-given')).toBeUndefined();
  });
});
