"""People and staff accounts for the demo caseload. Everyone here is fictional."""

PERSONS = [
    {"reference": "P-1001", "full_name": "Denise Harrowby", "date_of_birth": "1961-07-22"},
    {"reference": "P-1002", "full_name": "Chloe Brannigan", "date_of_birth": "1996-05-09"},
    {"reference": "P-1003", "full_name": "Gareth Pryce", "date_of_birth": "1978-10-30"},
    {"reference": "P-1004", "full_name": "Irena Kowalczyk", "date_of_birth": "1969-01-17"},
    {"reference": "P-1005", "full_name": "Kieran Doyle", "date_of_birth": "1993-11-04"},
    {"reference": "P-1006", "full_name": "Samira Haddad", "date_of_birth": "1988-02-26"},
    {"reference": "P-1007", "full_name": "Terence Mowbray", "date_of_birth": "1947-06-12"},
    {"reference": "P-1008", "full_name": "Leanne Fairclough", "date_of_birth": "1991-09-03"},
    {"reference": "P-1009", "full_name": "Albert Fenwick", "date_of_birth": "1938-04-02"},
    {"reference": "P-1010", "full_name": "Nathan Birch", "date_of_birth": "2002-12-15"},
    {"reference": "P-1011", "full_name": "Darren Whitlock", "date_of_birth": "1985-08-21"},
    {"reference": "P-1012", "full_name": "Jade Moorcroft", "date_of_birth": "1999-03-28"},
]

ACCOUNTS = [
    {"username": "asha.patel", "full_name": "Asha Patel", "role": "officer", "team": "benefits"},
    {"username": "tom.whitfield", "full_name": "Tom Whitfield", "role": "officer", "team": "benefits"},
    {"username": "grace.okafor", "full_name": "Grace Okafor", "role": "supervisor", "team": "benefits"},
    {"username": "daniel.hughes", "full_name": "Daniel Hughes", "role": "officer", "team": "housing"},
    {"username": "megan.lloyd", "full_name": "Megan Lloyd", "role": "officer", "team": "housing"},
    {"username": "priya.raman", "full_name": "Priya Raman", "role": "supervisor", "team": "housing"},
    {"username": "fiona.mcallister", "full_name": "Fiona McAllister", "role": "officer", "team": "adult-social-care"},
    {"username": "kwame.mensah", "full_name": "Kwame Mensah", "role": "officer", "team": "adult-social-care"},
    {"username": "helen.brooks", "full_name": "Helen Brooks", "role": "supervisor", "team": "adult-social-care"},
    {"username": "callum.reid", "full_name": "Callum Reid", "role": "officer", "team": "probation"},
    {"username": "sarah.denholm", "full_name": "Sarah Denholm", "role": "officer", "team": "probation"},
    {"username": "martin.osei", "full_name": "Martin Osei", "role": "supervisor", "team": "probation"},
    {"username": "chris.ellery", "full_name": "Chris Ellery", "role": "admin", "team": "all"},
]
