// The accountant brings in a bank statement file (camt.053, MT940 or CSV),
// watches it go up, reads what the server took from it (lines imported,
// lines it had already, the bank's balances) and lets the matcher run over
// the new lines, then goes on to the lines left for a person.
import { api, upload } from '../api.js';
import { h, clear, money, may, link, messageLine, runAction, field } from '../ui.js';
import { facts } from '../finance.js';

const FORMATS = [
  { value: 'camt', label: 'camt.053 / 052 / 054 (XML)', type: 'application/xml' },
  { value: 'mt940', label: 'MT940 / MT942', type: 'text/plain' },
  { value: 'csv', label: 'CSV (with a saved column mapping)', type: 'text/csv' },
];

// The format a file's name suggests; the person may change it.
function guessFormat(name) {
  const n = name.toLowerCase();
  if (n.endsWith('.xml') || n.endsWith('.camt')) return 'camt';
  if (n.endsWith('.csv')) return 'csv';
  return 'mt940';
}

function percent(sent, total) {
  return total > 0 ? Math.floor((sent * 100) / total) : 100;
}

function importResult(r) {
  const section = h('section', { class: 'card', id: 'import-result', 'aria-labelledby': 'import-result-title' });
  section.append(h('h2', { id: 'import-result-title' }, 'Imported'));
  const first = (r.statements && r.statements[0]) || {};
  const currency = first.currency || '';
  section.append(facts([
    ['Format', r.format],
    ['Lines imported', String(r.lines_imported)],
    ['Duplicates skipped', String(r.lines_skipped_duplicate)],
    ['Not booked (pending)', r.lines_not_booked ? String(r.lines_not_booked) : null],
    ['Opening balance', r.opening_balance === null ? 'not stated' : money(r.opening_balance, currency)],
    ['Closing balance', r.closing_balance === null ? 'not stated' : money(r.closing_balance, currency)],
  ]));
  for (const s of r.statements || []) {
    if (s.balanced === false) {
      section.append(h('p', { class: 'error', role: 'alert' },
        'Statement ' + (s.statement_id || s.id) + ': the bank\'s opening balance and lines do not add up to its closing balance.'));
    }
  }
  for (const w of r.warnings || []) section.append(h('p', { class: 'note' }, String(w)));
  return section;
}

export default {
  path: 'bank-statements/import',
  title: 'Import a bank statement',
  nav: 'Import statement',
  needs: 'POST /bank-statements',
  async render(root, ctx) {
    const file = h('input', { type: 'file', name: 'file', accept: '.xml,.camt,.sta,.txt,.mt940,.940,.csv', required: true });
    const format = h('select', { name: 'format' },
      ...FORMATS.map((f) => h('option', { value: f.value }, f.label)));
    const profile = h('select', { name: 'profile' });
    const profileField = h('div', { hidden: true }, ...field('CSV column mapping', profile));
    const send = h('button', { type: 'submit' }, 'Upload');
    const bar = h('progress', { class: 'progress', id: 'upload-progress', max: 100, value: 0 });
    const barText = h('span', { id: 'upload-percent' }, '');
    const barBox = h('div', { class: 'upload', hidden: true },
      h('label', { for: 'upload-progress' }, 'Sending'), bar, barText);
    const message = messageLine();
    const form = h('form', { class: 'card', id: 'import-form' },
      ...field('Statement file', file), ...field('Format', format), profileField,
      h('div', { class: 'actions' }, send), barBox, message);
    const result = h('div', { id: 'import-outcome', class: 'cards' });
    root.append(h('p', { class: 'note' },
      'The file is taken whole or not at all; a line imported before is skipped, so sending the same file twice adds nothing.'),
      form, result);

    let profilesLoaded = false;
    const showProfiles = async () => {
      const csv = format.value === 'csv';
      profileField.hidden = !csv;
      if (!csv || profilesLoaded) return;
      profilesLoaded = true;
      const data = await api('GET', '/bank-csv-profiles');
      clear(profile);
      if (data.data.length === 0) profile.append(h('option', { value: '' }, 'none saved (POST /bank-csv-profiles)'));
      for (const p of data.data) profile.append(h('option', { value: p.id }, p.name));
    };
    format.addEventListener('change', () => showProfiles().catch((e) => message.showError(e)));
    file.addEventListener('change', () => {
      if (file.files[0]) format.value = guessFormat(file.files[0].name);
      showProfiles().catch((e) => message.showError(e));
    });

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      runAction(send, message, async () => {
        const f = file.files[0];
        if (!f) throw new Error('Choose a statement file first.');
        const kind = FORMATS.find((x) => x.value === format.value);
        const params = new URLSearchParams({ file_name: f.name });
        if (kind.value === 'csv' && profile.value) params.set('profile', profile.value);
        clear(result);
        bar.max = f.size || 1;
        bar.value = 0;
        barText.textContent = '0%';
        barBox.hidden = false;
        return upload('/bank-statements?' + params.toString(), f, kind.type, (sent, total) => {
          bar.max = total || 1;
          bar.value = Math.min(sent, total);
          barText.textContent = percent(sent, total) + '%';
        });
      }, (r) => {
        bar.value = bar.max;
        barText.textContent = '100%';
        message.showDone(f_name(file) + ' imported: ' + r.lines_imported + ' lines new, ' +
                         r.lines_skipped_duplicate + ' already known.');
        result.append(importResult(r));
        result.append(matchPanel(ctx, r.statements || []));
      });
    });
  },
};

function f_name(input) {
  return input.files[0] ? input.files[0].name : 'The file';
}

// After an import: run the matcher over every open line, then on to the
// lines a person must settle.
function matchPanel(ctx, statements) {
  // The lines of the statements just imported (one file may hold several).
  const only = statements.length === 1 ? '&statement_id=' + encodeURIComponent(statements[0].id) : '';
  const section = h('section', { class: 'card', 'aria-labelledby': 'run-match-title' });
  section.append(h('h2', { id: 'run-match-title' }, 'Match the new lines'));
  const message = messageLine();
  const outcome = h('div', { id: 'match-outcome' });
  if (may(ctx.session, 'POST /reconciliation/run')) {
    const run = h('button', { type: 'button', id: 'run-matching' }, 'Run matching');
    run.addEventListener('click', () => runAction(run, message, () => api('POST', '/reconciliation/run', {}), (r) => {
      clear(outcome);
      outcome.append(facts([
        ['Matched and booked', String(r.matched)],
        ['Posted by rule', r.posted ? String(r.posted) : null],
        ['Suggested', String(r.suggested)],
        ['Unmatched', String(r.unmatched)],
      ]));
      outcome.append(h('p', { class: 'actions' },
        link('bank-lines?status=suggested' + only, 'Suggested lines'), ' ',
        link('bank-lines?status=unmatched' + only, 'Unmatched lines'), ' ',
        link('bank-lines?status=matched' + only, 'Matched lines')));
    }));
    section.append(h('p', {}, 'Sure matches are booked as payments; the rest keep suggestions for you to accept.'),
                   h('div', { class: 'actions' }, run), message, outcome);
  } else {
    section.append(h('p', {}, link('bank-lines?status=unmatched' + only, 'Open the bank lines')));
  }
  return section;
}
