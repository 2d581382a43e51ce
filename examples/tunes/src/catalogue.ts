// The songs Tunes "plays": a small fixed catalogue. There is no audio in this demo, only a
// progress bar; each song's url is where a real player would link to.
import type { Card } from '@parley/sdk';

export interface Song {
  id: string;
  title: string;
  artist: string;
  durationSeconds: number;
  url: string;
  /** The hue of the cover art (a CSS gradient, no images). */
  hue: number;
}

export const SONGS: readonly Song[] = [
  {
    id: 'harbour-lights',
    title: 'Harbour Lights',
    artist: 'The Night Ferries',
    durationSeconds: 222,
    hue: 205,
  },
  { id: 'paper-planets', title: 'Paper Planets', artist: 'Mina Solis', durationSeconds: 245, hue: 280 },
  {
    id: 'slow-train-north',
    title: 'Slow Train North',
    artist: 'The Lantern Club',
    durationSeconds: 198,
    hue: 25,
  },
  { id: 'neon-orchard', title: 'Neon Orchard', artist: 'Kai & the Quiet', durationSeconds: 177, hue: 140 },
  { id: 'saturday-static', title: 'Saturday Static', artist: 'Juniper Row', durationSeconds: 213, hue: 340 },
  {
    id: 'blue-hour-waltz',
    title: 'Blue Hour Waltz',
    artist: 'Odile Marchand',
    durationSeconds: 261,
    hue: 230,
  },
].map((song) => ({ ...song, url: `https://example.com/songs/${song.id}` }));

export function songById(id: string): Song | undefined {
  return SONGS.find((song) => song.id === id);
}

/** The share card Parley shows for a song. */
export function songCard(song: Song): Card {
  return { kind: 'song', title: song.title, subtitle: song.artist, url: song.url };
}
