"""The cases this user may see, with the state of each one's summary, and a way to open one."""
import streamlit as st

from ui.common import STATUS_WORDS, attempt, open_case, plural, require_user, services, when

user = require_user()
st.title("My cases")

listings = attempt(services().cases.cases, user)
if listings is None:
    st.stop()
if not listings:
    st.info("There are no cases for your team yet.")
    st.stop()

search = st.text_input("Search by case reference, person or title").strip().lower()
statuses = st.multiselect("Summary status", list(STATUS_WORDS), format_func=STATUS_WORDS.get,
                          placeholder="All statuses")
shown = [listing for listing in listings
         if (not statuses or listing.summary_status in statuses)
         and (not search or any(search in text.lower() for text in (
             listing.overview.case.reference, listing.overview.case.person.full_name, listing.overview.case.title)))]

st.caption(f"Showing {len(shown)} of {plural(len(listings), 'case')}. Select a row to open its case.")
rows = [{"Person": o.case.person.full_name, "Case": o.case.reference, "Title": o.case.title,
         "Summary": STATUS_WORDS[listing.summary_status], "Last activity": when(o.last_activity)}
        for listing in shown for o in [listing.overview]]
picked = st.dataframe(rows, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                      key="cases_table",
                      column_config={"Title": st.column_config.TextColumn(width="large"),
                                     "Summary": st.column_config.TextColumn(width="medium")})
if picked and picked.selection.rows:
    open_case(shown[picked.selection.rows[0]].overview.case.reference)

if shown:  # the same, by keyboard: choose a case and press Enter on the button
    labels = {c.reference: f"{c.reference} - {c.person.full_name} - {c.title}"
              for c in (listing.overview.case for listing in shown)}
    with st.form("open_case"):
        reference = st.selectbox("Case to open", list(labels), format_func=labels.get)
        if st.form_submit_button("Open case", type="primary"):
            open_case(reference)
