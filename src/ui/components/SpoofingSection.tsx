// Settings › Photos and screens: the replay check (inference/replay-check.ts) on camera enrollment (on by default) and in
// the live view ("Photo?"), and the head-turn challenge before a camera enrollment.
import type { SettingsRow } from '../../storage/schema.ts';

interface Props {
  settings: SettingsRow;
  onChange: (patch: Partial<Omit<SettingsRow, 'key'>>) => void;
}

function Toggle({ label, checked, onChange, testid }: { label: string; checked: boolean; onChange: (v: boolean) => void; testid: string }) {
  return (
    <label className="row">
      <input type="checkbox" data-testid={testid} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

export function SpoofingSection({ settings, onChange }: Props) {
  return (
    <section data-testid="spoofing">
      <h3>Photos and screens</h3>
      <p className="muted">
        Someone could hold up a photo or a phone to be enrolled or named. These checks make that harder; none is proof.
        About 1 real face in 30 scores like a photo on a single frame (measured on 1,000 LFW people): a refused frame is not kept and the next one is tried; if every frame is refused for 10 s, the capture stops and says what to try.
        About 3 in 5 simulated screen replays are caught.
      </p>
      <Toggle testid="settings-spoof-enroll" label="Refuse camera enrollment samples that look like a photo or screen" checked={settings.spoofEnroll} onChange={(v) => onChange({ spoofEnroll: v })} />
      <Toggle testid="settings-head-turn" label="Ask for a head turn before enrolling from the camera" checked={settings.headTurnChallenge} onChange={(v) => onChange({ headTurnChallenge: v })} />
      <Toggle testid="settings-spoof-live" label='Say "Photo?" instead of a name when a face looks like a photo or screen' checked={settings.spoofLive} onChange={(v) => onChange({ spoofLive: v })} />
    </section>
  );
}
