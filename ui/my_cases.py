"""The cases this user may see, with the state of each one's summary, and a way to open one.

Each case is a row whose reference is a link to the case: a link is in the tab order and opens with Enter, and a
click anywhere on its row follows it (style.css, .st-key-case_row_*). Streamlit's data grid was used before: it
is drawn on a canvas, cut off columns at 1280 px, and opened a case only from its row's checkbox.
"""
import streamlit as st

from ui.common import CASE_PAGE, STATUS_WORDS, attempt, plain, plural, require_user, services, when

PER_PAGE = 25  # rows drawn at a time: an administrator may see thousands of cases
COLUMNS = {"Case": 1.4, "Person": 1.6, "Title": 3.2, "Summary": 1.8, "Last activity": 2.0}  # relative widths

user = require_user()
st.title("My cases", anchor=False)  # no "link to heading": one Tab stop less before the list

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

pages = -(-len(shown) // PER_PAGE)
list_area = st.container()  # filled once the page of the list is known; the page chooser goes below it
page = st.pagination(pages, key="cases_page") if pages > 1 else 1
first = (page - 1) * PER_PAGE
on_page = shown[first:first + PER_PAGE]

with list_area:
    st.caption(f"Showing {len(shown)} of {plural(len(listings), 'case')}"
               + (f", {first + 1} to {first + len(on_page)} on this page" if pages > 1 else "")
               + ". Select a case, or press Enter on its reference, to open it.")
    if on_page:
        with st.container(key="case_list_head"):
            for column, heading in zip(st.columns(list(COLUMNS.values())), COLUMNS):
                column.markdown(f"**{heading}**")
    for number, listing in enumerate(on_page):
        case = listing.overview.case
        with st.container(key=f"case_row_{number}"):
            link, person, title, summary, last = st.columns(list(COLUMNS.values()), vertical_alignment="center")
            link.page_link(CASE_PAGE, label=plain(case.reference), query_params={"case": case.reference})
            person.markdown(plain(case.person.full_name))
            title.markdown(plain(case.title))
            summary.markdown(STATUS_WORDS[listing.summary_status])
            last.markdown(when(listing.overview.last_activity))
