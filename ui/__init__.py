"""The Streamlit pages. Each calls only the service facade; nothing below this package imports streamlit."""
