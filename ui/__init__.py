"""The Streamlit pages. Each calls only the services (summariser/services); nothing below ui/ imports streamlit."""
