"""The directory of vetted services, for administrators: list, add, change and retire entries, and import a CSV.

The Case page suggests these services when a case shows a need; officers
choose which to mention. Every change here is recorded in the audit log, and
the service refuses anyone but an administrator whatever this page shows.
"""
from datetime import date

import streamlit as st

from retrieval.records.directory import NEEDS, EntryDetails, parse_date
from summariser.services.signposting import CSV_COLUMNS, CSV_OPTIONAL
from ui.common import attempt, plain, plural, require_user, services, when

NOTICES_KEY = "directory_notices"  # messages to show after the rerun that follows a change
NEW, EDIT, RETIRE, IMPORT = "directory_new", "directory_edit", "directory_retire", "directory_import"

user = require_user()
signposting = services().signposting
st.title("Service directory")
st.write("Vetted services that officers may point people to. When a case's documents show a need (food, debt, "
         "housing, a mental health crisis or caring), the Case page suggests the services here that help with it; "
         "the officer chooses which to mention. Nothing is sent or referred automatically. Every change here is "
         "recorded in the audit log.")


def changed(*notices: tuple[str, str]) -> None:
    """Keep the messages for the next run and rerun, so the list shows the change."""
    st.session_state[NOTICES_KEY] = list(notices)
    st.rerun()


def need_names(codes) -> str:
    return ", ".join(NEEDS[c] for c in codes if c in NEEDS)


def entry_fields(prefix: str, entry=None) -> EntryDetails:
    """The form's fields (filled from `entry` when changing one), as details for the service to check."""
    name = st.text_input("Name of the service", value=entry.name if entry else "", key=f"{prefix}:name")
    needs = st.multiselect("What it helps with", list(NEEDS), default=list(entry.needs) if entry else [],
                           format_func=NEEDS.get, key=f"{prefix}:needs")
    contact = st.text_input("Contact (phone, address or website)", value=entry.contact if entry else "",
                            key=f"{prefix}:contact")
    area = st.text_input("Area it serves (write National for a national service)", value=entry.area if entry else "",
                         key=f"{prefix}:area")
    vetted_by = st.text_input("Vetted by (name)", value=entry.vetted_by if entry else user.full_name or "",
                              key=f"{prefix}:vetted_by")
    vetted_on = st.date_input("Vetted on", value=parse_date(entry.vetted_on) if entry else date.today(),
                              min_value=date(2000, 1, 1), max_value=date.today(), format="DD/MM/YYYY",
                              key=f"{prefix}:vetted_on")
    description = st.text_area("Description (optional)", value=entry.description if entry else "",
                               key=f"{prefix}:description")
    return EntryDetails(name, tuple(needs), contact, area, vetted_by, vetted_on.isoformat() if vetted_on else "",
                        description, entry.demo if entry else False)


for kind, message in st.session_state.pop(NOTICES_KEY, []):
    getattr(st, kind)(message)

show_retired = st.checkbox("Show retired entries too")
entries = attempt(signposting.entries, user, include_retired=show_retired)
if entries is None:
    st.stop()
st.subheader("Entries")
if not entries:
    st.info("The directory is empty. Add a service below, or import a CSV file.")
else:
    st.dataframe([{"Name": e.name, "Helps with": need_names(e.needs), "Contact": e.contact, "Area": e.area,
                   "Vetted by": e.vetted_by, "Vetted on": e.vetted_on, "Demo data": "yes" if e.demo else "no",
                   **({"Retired": when(e.retired_at) if e.retired else ""} if show_retired else {})}
                  for e in entries], hide_index=True)

st.subheader("Add a service")
with st.form(NEW, clear_on_submit=True):
    details = entry_fields(NEW)
    if st.form_submit_button("Add to the directory", type="primary"):
        added = attempt(signposting.add, user, details)
        if added is not None:
            changed(("success", plain(f"{added.name} is added to the directory.")))

current = [e for e in entries if not e.retired]
if current:
    st.subheader("Change or retire a service")
    names = {e.id: f"{e.name} ({e.area})" for e in current}
    chosen_id = st.selectbox("Service to change or retire", list(names), format_func=names.get, key=EDIT)
    chosen = next(e for e in current if e.id == chosen_id)
    with st.form(f"{EDIT}:{chosen.id}"):
        details = entry_fields(f"{EDIT}:{chosen.id}", chosen)
        if st.form_submit_button("Save changes"):
            saved = attempt(signposting.edit, user, chosen.id, details)
            if saved is not None:
                changed(("success", plain(f"{saved.name}: changes saved.")))
    with st.form(f"{RETIRE}:{chosen.id}", clear_on_submit=True):
        reason = st.text_input("Why it is retired (recorded)", key=f"{RETIRE}:{chosen.id}:reason")
        if st.form_submit_button("Retire this service"):
            retired = attempt(signposting.retire, user, chosen.id, reason)
            if retired is not None:
                changed(("success", plain(f"{retired.name} is retired: it is no longer suggested.")))

st.subheader("Import from a CSV file")
st.write(f"The first row names the columns: {', '.join(CSV_COLUMNS)}, and optionally {', '.join(CSV_OPTIONAL)}. "
         f"Needs are separated by semicolons, each one of: {', '.join(NEEDS)}. Dates are written as 2025-03-14 or "
         "14/03/2025. A service with the same name and area as a current entry updates it. A row that does not fit "
         "is left out and named below; the other rows are still imported.")
with st.form(IMPORT, clear_on_submit=True):
    upload = st.file_uploader("CSV file of services", type=["csv"], key=f"{IMPORT}:file")
    submitted = st.form_submit_button("Import")
if submitted and upload is None:
    st.warning("Choose a CSV file first.")
elif submitted:
    result = attempt(signposting.import_csv, user, upload.getvalue(), upload.name)
    if result is not None:
        notices = [("success" if not result.refused else "warning",
                    f"Imported {plural(result.rows, 'row')}: {len(result.added)} added, {len(result.updated)} "
                    f"updated, {len(result.unchanged)} unchanged, {len(result.refused)} left out.")]
        notices += [("error", plain(str(refused))) for refused in result.refused]
        changed(*notices)
