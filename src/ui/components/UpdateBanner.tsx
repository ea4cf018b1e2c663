// "Update available — reload": a new version waits until the user chooses, so a running session is
// never cut short.
import { useState } from 'react';
import { applyUpdate } from '../../pwa/app-update.ts';

export function UpdateBanner() {
  const [applying, setApplying] = useState(false);
  return (
    <div className="panel update" role="status" data-testid="update-banner">
      <span>Update available.</span>
      <button type="button" data-testid="update-reload" disabled={applying} onClick={() => {
        setApplying(true);
        void applyUpdate();
      }}>{applying ? 'Reloading…' : 'Reload'}</button>
    </div>
  );
}
