import { describe, expect, it } from 'vitest';
import { parseShareReturn, shareUrl } from './share.js';

describe('shareUrl', () => {
  const card = { kind: 'song' as const, title: 'So What & more', url: 'https://tunes.example/so-what?x=1' };

  it('points at Parley’s share dialog with the app and the card as JSON', () => {
    const url = shareUrl({ parleyUrl: 'https://parley.example/', clientId: 'app_tunes', card });
    expect(url.origin + url.pathname).toBe('https://parley.example/share');
    expect(url.searchParams.get('client_id')).toBe('app_tunes');
    expect(JSON.parse(url.searchParams.get('card')!)).toEqual(card);
    expect(url.searchParams.has('redirect_uri')).toBe(false);
    expect(url.searchParams.has('state')).toBe(false);
  });

  it('adds where to come back to and the state to match it', () => {
    const url = shareUrl({
      parleyUrl: 'https://parley.example/base',
      clientId: 'app_tunes',
      card,
      redirectUri: 'https://tunes.example/shared',
      state: 's 1',
    });
    expect(url.pathname).toBe('/base/share');
    expect(url.searchParams.get('redirect_uri')).toBe('https://tunes.example/shared');
    expect(url.searchParams.get('state')).toBe('s 1');
  });
});

describe('parseShareReturn', () => {
  it('reads state and the comma-separated ids, and empty lists when there are none', () => {
    expect(parseShareReturn('https://tunes.example/shared?state=s&threads=t1,t2&messages=m1,m2')).toEqual({
      state: 's',
      threadIds: ['t1', 't2'],
      messageIds: ['m1', 'm2'],
    });
    expect(parseShareReturn(new URL('https://tunes.example/shared'))).toEqual({
      threadIds: [],
      messageIds: [],
    });
  });
});
