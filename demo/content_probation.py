"""Probation team demo cases. Everyone and everything here is fictional."""

PROB_ORG = "Probation Service - Kelderby and Fenmoor Probation Delivery Unit"
PROB_LINES = [
    "Probation Office, 19 Wexford Street, Kelderby KX1 5PB",
    "Telephone 01632 960400  |  kelderby.pdu@example.gov.uk",
]

CASES = [
    # ------------------------------------------------------------------ PS-2025-0519
    {
        "reference": "PS-2025-0519",
        "person": "P-1005",
        "team": "probation",
        "case_type": "probation-supervision",
        "officer": "callum.reid",
        "title": "Licence supervision — post-release (standard determinate sentence)",
        "opened_on": "2025-01-27",
        "documents": [
            {
                "filename": "2025-01-27_pre-release-planning-notes.txt",
                "text": """
PROBATION — PRE-RELEASE PLANNING NOTES                     OFFICIAL-SENSITIVE
Case reference: PS-2025-0519
Person on probation: Kieran Doyle, DOB 04/11/1993, prison number A4821KD
Establishment: HMP Ashcombe
Community offender manager: Callum Reid, Probation Officer

Sentence: 30 months' imprisonment, imposed 14/06/2024 at Kelderby Crown Court
for assault occasioning actual bodily harm and criminal damage (offences on
03/02/2024). Remanded in custody from 10/02/2024.
Conditional release date: 10/02/2025. Licence and sentence expiry: 09/08/2026.
MAPPA: Category 2, Level 1. Risk of serious harm (OASys): medium, to the known
adult victim and to the public.

27/01/2025 — Case allocated for release planning. Video call with Mr Doyle at
HMP Ashcombe, 10:00 to 10:50, with his prison offender manager, Mr Robert
Beale.

Mr Doyle was polite and engaged. He accepts responsibility for the offence and
said he "was in a bad place and drinking every day" at the time. He completed
the Thinking Skills Programme in custody in November 2024 and has attended the
prison's alcohol support group. AUDIT score on reception was 24; he reports no
drinking in custody.

Victim contact: the Victim Liaison Officer has confirmed that the victim has
asked for an exclusion zone covering the Northgate area of Kelderby, where he
lives and works, and a no-contact condition. Both will be included as
additional licence conditions. Mr Doyle said he understood and had "no reason
to go anywhere near there".

Accommodation: referral to Linden House Approved Premises accepted; bed
available from 10/02/2025. Mr Doyle is unhappy about the curfew but accepts it.
His former tenancy with Fenmoor Homes ended while he was in custody. Duty to
refer to Kelderby Housing Solutions to be made after release, once he has
agreed what he wants.

Practical: birth certificate held by the prison; bank account open; Universal
Credit appointment booked at Kelderby Jobcentre for 11/02/2025 at 13:00.
Release travel warrant to Kelderby. First appointment with me on 11/02/2025 at
10:00 at the probation office, then Linden House induction.

Protective factors: supportive mother (Sedgecombe); motivation to stay sober;
previous work history as a labourer. Risk factors: alcohol, anger when
drinking, unstable accommodation, former associates in Northgate.

Plan: licence conditions drafted and sent to HMP Ashcombe for the governor's
approval; referral to Kelderby Recovery Service for alcohol support from
release; ETE referral after the first month. — C. Reid
""",
            },
            {
                "filename": "2025-02-10_licence.pdf",
                "date": "2025-02-10",
                "author": "HMP Ashcombe, for the Secretary of State",
                "title": "Licence - Kieran Doyle",
                "org": "HM Prison and Probation Service - HMP Ashcombe",
                "org_lines": ["Licence issued under the Criminal Justice Act 2003",
                              "Supervising office: Probation Office, 19 Wexford Street, Kelderby KX1 5PB"],
                "marking": "OFFICIAL-SENSITIVE",
                "footer": "PS-2025-0519 Licence",
                "pages": [
                    """
# Licence

| Item | Details |
| Name | Kieran Doyle |
| Date of birth | 04/11/1993 |
| Prison number | A4821KD |
| Date of release | 10/02/2025 |
| Licence expiry date | 09/08/2026 |
| Sentence expiry date | 09/08/2026 |
| Supervising officer | Callum Reid, Probation Officer, telephone 01632 960402 |
| Approved address | Linden House Approved Premises, 3 Chapel Lane, Kelderby KX1 4HD |

You will be released on licence on 10 February 2025. You must report to Callum Reid at the
Probation Office, 19 Wexford Street, Kelderby, on 11 February 2025 at 10:00, and to Linden
House Approved Premises by 15:00 on the day of your release.

You will be under the supervision of a probation officer until 9 August 2026. While you are on
licence you must comply with the conditions set out below. The purpose of supervision is to
protect the public, prevent re-offending and help you to resettle successfully in the
community.

## Standard conditions

You must:

- be of good behaviour and not behave in a way which undermines the purpose of the licence
  period;
- not commit any offence;
- keep in touch with the supervising officer in accordance with instructions given by the
  supervising officer;
- receive visits from the supervising officer in accordance with instructions given by the
  supervising officer;
""",
                    """
- reside permanently at an address approved by the supervising officer and obtain the prior
  permission of the supervising officer for any stay of one or more nights at a different
  address;
- not undertake work, or a particular type of work, unless it is approved by the supervising
  officer, and notify the supervising officer in advance of any proposal to undertake work or
  a particular type of work;
- not travel outside the United Kingdom, the Channel Islands or the Isle of Man except with the
  prior permission of the supervising officer or in order to comply with any legal
  requirement;
- tell the supervising officer if you use a name which is different to the name or names which
  appear on your licence, and if you change or add any contact details, including any phone
  number or email address.

## Additional conditions

You must also:

- reside at Linden House Approved Premises, 3 Chapel Lane, Kelderby, and comply with the rules
  of the approved premises, including being there between 23:00 and 07:00 each night, unless
  otherwise authorised by your supervising officer;
- not enter the area of Northgate, Kelderby, as defined by the red line on the map attached to
  this licence, without the prior approval of your supervising officer;
- not approach or communicate with the victim of your offence, directly or indirectly, without
  the prior approval of your supervising officer;
- attend all appointments arranged for you with Kelderby Recovery Service, and co-operate fully
  with any assessment and treatment for alcohol misuse;
- comply with any requirement specified by your supervising officer for the purpose of
  ensuring that you address your alcohol misuse.

These conditions are necessary and proportionate to manage the risk you present. The exclusion
zone and no-contact conditions have been included after representations from the victim.
""",
                    """
## Recall

If you fail to comply with any of the conditions of this licence, or if your risk increases so
that it can no longer be safely managed in the community, you may be recalled to prison. If you
are recalled, you may have to spend the rest of your sentence, up to 9 August 2026, in custody.
You may also be recalled if you are charged with a further offence.

Your supervising officer will usually give you a warning first, but if the risk is serious you
may be recalled without a warning. If you are recalled, you will be told why, and you will be
able to make representations against the recall.

## Changes to your licence

Your supervising officer may apply for conditions to be added, changed or removed during your
licence. For example, when you move on from Linden House, the residence condition will be
changed to your new approved address. You will be told in writing of any change.

## Help and advice

If you do not understand any part of this licence, ask your supervising officer or a member of
staff at Linden House to explain it to you. You can ask for a copy of the map showing the
exclusion zone at any time.

## Signatures

I have read this licence, or had it read to me, and I understand it.

::
Signed (Kieran Doyle): K. Doyle, 10/02/2025
Signed for the Governor, HMP Ashcombe: R. Beale, 10/02/2025
Copy to: Callum Reid, Probation Officer; Linden House Approved Premises

Attached: map of the Northgate exclusion zone (not reproduced in this copy).
""",
                ],
            },
            {
                "filename": "2025-02-11_induction-appointment.md",
                "text": """
# Induction appointment — PS-2025-0519

**Person on probation:** Kieran Doyle · **Officer:** Callum Reid
**Date:** 11/02/2025, 10:00 – 11:00, Probation Office, 19 Wexford Street

## Attendance

Attended on time, having arrived at Linden House Approved Premises at 13:40
yesterday. Linden House confirmed he was in for the 23:00 curfew.

## Licence

Went through every condition again with Mr Doyle using the copy of his licence.
He explained the exclusion zone back to me using the map and said he would take
the long route round by the ring road to get to the Jobcentre. He understands he
must not contact the victim directly or through anyone else, including social
media. He understands that he could be recalled for not complying.

## Reporting

Weekly appointments on Tuesdays at 10:00 for the first eight weeks, then
reviewed. I will visit him at Linden House every four weeks. First visit
11/03/2025.

## Wellbeing and needs

- **Alcohol:** he says he has not had a drink since release and wants to keep
  it that way. First appointment with Kelderby Recovery Service 13/02/2025 at
  14:00.
- **Money:** UC appointment today at 13:00; will ask for an advance. He has £46
  discharge grant left.
- **Accommodation:** expects to stay at Linden House for up to 12 weeks. He
  would like to live near his mother in Sedgecombe. I will make a duty to refer
  to Kelderby Housing Solutions with his consent once we have talked about his
  options in our next session.
- **Family:** his mother visited him at Linden House last night. She is
  supportive and he wants to "not let her down again".
- **Mood:** said he felt "strange" being out and found the bus busy and noisy.
  No concerns about self-harm; he said he is "just glad to be out".

## Risk

No change to the medium risk of serious harm assessment. Triggers discussed:
drinking, money worries, contact with former associates in Northgate. He
agreed a plan: if he feels like drinking he will ring his mother or his
Recovery Service worker, and go back to Linden House.

## Next appointment

18/02/2025, 10:00. He signed the appointment letter.
""",
            },
            {
                "filename": "2025-03-18_email-from-approved-premises.eml",
                "date": "2025-03-18 09:12",
                "from": "Alison Pike <alison.pike@example.gov.uk>",
                "to": "Callum Reid <callum.reid@example.gov.uk>",
                "subject": "Linden House - late return and positive breath test, K Doyle (PS-2025-0519)",
                "body": """
Hi Callum,

Letting you know about an incident with Kieran Doyle over the weekend, as
discussed on the phone yesterday.

On Sunday 16/03/2025 Kieran signed out at 12:30 saying he was going to his
mother's in Sedgecombe for her birthday. He returned at 23:40, 40 minutes after
the 23:00 curfew. He had not phoned to say he would be late. Night staff said
he smelt of alcohol. He agreed to a breath test, which was positive at a low
reading (15 micrograms in 100 millilitres of breath).

Kieran was calm and apologetic. He said he had "two pints" at a pub in
Sedgecombe with his mother and her partner for her birthday, then missed the
22:15 bus and had to wait for the next one. He showed staff the bus ticket,
which was issued at 23:18 from Sedgecombe. He said he had not been anywhere near
Northgate and did not see anyone from "back then".

Action taken by Linden House: first written warning under the approved premises
rules (breach of curfew and alcohol on the premises). He signed it. We have
discussed the rules again with him and he has agreed to phone if he is ever
running late.

He has otherwise done well here: he has kept to the curfew every other night,
attends Kelderby Recovery Service each week, and helps out in the kitchen. He
told us he would tell you and Daniel Hughes at Housing Solutions himself, and he
asked whether this would affect his move-on. I told him that was for you to
discuss with him.

Could you let me know what action you intend to take on the licence so we can
record it? His next key work session here is on 20/03/2025.

Thanks,

Alison Pike
Key Worker, Linden House Approved Premises
3 Chapel Lane, Kelderby KX1 4HD
Telephone 01632 960420
""",
            },
            {
                "filename": "2025-04-24_supervision-review.docx",
                "date": "2025-04-24",
                "author": "Callum Reid",
                "org": "Probation Service - Kelderby and Fenmoor Probation Delivery Unit",
                "marking": "OFFICIAL-SENSITIVE",
                "title": "Supervision review - licence period",
                "body": """
| Field | Details |
| Person on probation | Kieran Doyle, DOB 04/11/1993 |
| Case reference | PS-2025-0519 |
| Released | 10/02/2025, HMP Ashcombe |
| Licence expiry | 09/08/2026 |
| Review date | 24/04/2025 |
| Probation officer | Callum Reid |
| Countersigned | Martin Osei, Senior Probation Officer |

## Compliance with licence conditions

| Condition | Compliance | Notes |
| Keep in touch / reporting | Full | 11 of 11 weekly appointments attended on time |
| Reside at Linden House | Partial | Late return 16/03/2025 (40 minutes); AP written warning |
| Exclusion zone - Northgate | Full | No reports of entry; he raises it himself when planning journeys |
| No contact with victim | Full | No information to suggest contact |
| Kelderby Recovery Service | Full | Weekly sessions; one positive breath test on 16/03/2025 (low reading) |
| Good behaviour / no offending | Full | No police intelligence or arrests |

## Response to the late return

Discussed with Mr Doyle on 18/03/2025. He was open about what happened and had told his
Housing Solutions officer himself. Given the low level of non-compliance, his honesty and his
otherwise good progress, I issued a written warning on 18/03/2025 rather than considering
recall. Managed with the Recovery Service: a relapse prevention session focused on family
occasions. There have been no further incidents.

## Risk review

Risk of serious harm remains medium, but risk is judged to be reducing. Protective factors have
strengthened: stable routine, sobriety apart from the one incident, positive relationship with
his mother, and engagement with housing and recovery services. Triggers remain alcohol,
money worries and former associates.

## Move-on accommodation

Oakfield Supported Housing offered Room 4, 7 Tanners Yard, Kelderby KX3 2LW (email from Daniel
Hughes, Housing Solutions, 14/04/2025). Address check completed 17/04/2025: the address is
about 0.6 miles south of the Northgate exclusion zone boundary and the route to the Recovery
Service does not pass through the zone. Police and Victim Liaison Officer consulted; no
objection. Address approved. Oakfield's no-alcohol policy supports his plan.

## Plan for the next period

- Licence variation: residence condition to change to 7 Tanners Yard from 06/05/2025 (request
  sent to the Public Protection Casework Section on 22/04/2025).
- Reporting reduced to fortnightly from 06/05/2025, with a home visit in the first week.
- Employment, training and education referral: CSCS card course starting 12/05/2025.
- Continue Kelderby Recovery Service; review in eight weeks.
- Next formal review: 24/07/2025.
""",
            },
        ],
    },
    # ------------------------------------------------------------------ PS-2024-0733
    {
        "reference": "PS-2024-0733",
        "person": "P-1011",
        "team": "probation",
        "case_type": "probation-supervision",
        "officer": "sarah.denholm",
        "title": "Community order — unpaid work and alcohol treatment requirement",
        "opened_on": "2024-07-15",
        "documents": [
            {
                "filename": "2024-07-15_induction-notes.txt",
                "text": """
PROBATION — INDUCTION NOTES
Case reference: PS-2024-0733
Person on probation: Darren Whitlock, DOB 21/08/1985
Address: 31 Tollgate Crescent, Hollinsbridge KX7 8RB
Telephone: 07700 900476
Probation officer: Sarah Denholm

Order: community order made 15/07/2024 at Kelderby Magistrates' Court for
driving with excess alcohol (78 micrograms of alcohol in 100 millilitres of
breath; the limit is 35). Second drink-driving conviction within ten years.
Requirements: 120 hours unpaid work (to be completed within 12 months);
alcohol treatment requirement for 6 months; rehabilitation activity
requirement of up to 10 days. Disqualified from driving for 36 months. The
order ends on 14/07/2025.

15/07/2024 — Induction at the probation office after court, 14:30 to 15:30.
Explained each requirement, what counts as an acceptable reason for missing an
appointment (for example illness with a medical note, or a genuine emergency
with evidence), and the warning and breach process: one warning for an
unacceptable absence, and a second unacceptable absence within 12 months will
normally lead to breach proceedings at court.

Background: Mr Whitlock lives with his partner, Kerry, and her son (11). He
works full time as a warehouse operative at Fenmoor Logistics, Monday to
Friday, 07:00 to 15:00. He was stopped by police at 23:50 on 22/06/2024 after
leaving a friend's barbecue. He accepted that he had been drinking "most of the
afternoon" and thought he was "fine to drive".

Alcohol: AUDIT score 27 (possible dependence). He drinks most evenings, about
six to eight cans of strong lager, more at weekends. No withdrawal symptoms
reported. He said the disqualification is "a wake-up call" because he will have
to get two buses to work.

Unpaid work: Saturdays 08:30 to 16:30, meeting at the probation office car
park. First session 20/07/2024.

Alcohol treatment requirement: assessment at Kelderby Recovery Service on
18/07/2024 at 16:00, then weekly sessions.

Rehabilitation activity: sessions with me fortnightly, focusing on alcohol and
decision-making, and victim awareness (road safety).

Risk: low risk of serious harm. Likelihood of reoffending (driving offences)
medium.

Mr Whitlock signed the induction checklist and his appointment list. He was
quiet but co-operative and said he wanted to "get it done and move on".
— S. Denholm
""",
            },
            {
                "filename": "2024-10-02_warning-letter.pdf",
                "date": "2024-10-02",
                "author": "Sarah Denholm",
                "title": "Warning - failure to comply with your community order",
                "org": PROB_ORG,
                "org_lines": PROB_LINES,
                "pages": [
                    """
::
Mr Darren Whitlock
31 Tollgate Crescent
Hollinsbridge
KX7 8RB

::
Our reference: PS-2024-0733
Date: 2 October 2024

# Warning - failure to comply with your community order

Dear Mr Whitlock,

You are subject to a community order made at Kelderby Magistrates' Court on 15 July 2024. The
order includes a requirement to carry out 120 hours of unpaid work.

You did not attend your unpaid work session on Saturday 28 September 2024 at 08:30. You did
not contact us before the session. When we spoke on 30 September 2024 you said that you had
overslept after a family party the night before. This is not an acceptable reason for missing a
session.

## This is a formal warning

This letter is your warning. If, within the next 12 months, you fail without an acceptable
reason to comply with any requirement of your order, the law says that you will normally be
taken back to court for breach of your order. The court could add further requirements, fine
you, or re-sentence you for the original offence.

## Your next appointments

- Unpaid work: Saturday 5 October 2024 at 08:30, at the Probation Office car park, 19 Wexford
  Street, Kelderby. Wear suitable clothing and bring food and a drink.
- Probation appointment: Tuesday 8 October 2024 at 16:00, with me, at the Probation Office.
- Kelderby Recovery Service: continue your weekly sessions as arranged.

So far you have completed 48 of your 120 hours of unpaid work. If you are ill or cannot attend
for a genuine reason, you must phone before the session and give us evidence afterwards.

If you have any questions about this letter, please call me on 01632 960407.

Yours sincerely,

Sarah Denholm
Probation Officer
""",
                ],
            },
            {
                "filename": "2024-11-20_alcohol-treatment-review.docx",
                "date": "2024-11-20",
                "author": "Sarah Denholm",
                "org": "Probation Service - Kelderby and Fenmoor Probation Delivery Unit",
                "title": "Progress review - community order with alcohol treatment requirement",
                "body": """
| Field | Details |
| Person on probation | Darren Whitlock, DOB 21/08/1985 |
| Case reference | PS-2024-0733 |
| Order made | 15/07/2024, Kelderby Magistrates' Court |
| Order ends | 14/07/2025 |
| Review date | 20/11/2024 |
| Attended by | Darren Whitlock; Sarah Denholm (Probation Officer); Leon Achebe (Kelderby Recovery Service) |

## Progress against requirements

| Requirement | Target | Progress at review | Comment |
| Unpaid work | 120 hours | 64 hours | One unacceptable absence (28/09/2024), warning issued 02/10/2024. Full attendance since. |
| Alcohol treatment requirement | 6 months, weekly | 17 of 18 sessions attended | One session rearranged in advance. ATR ends 14/01/2025. |
| Rehabilitation activity requirement | up to 10 days | 4 days used | Alcohol and decision-making; road safety victim awareness started. |

## Alcohol use

| Measure | At start (July 2024) | Now (November 2024) |
| AUDIT score | 27 | 14 |
| Drinking days per week (self-report) | 6 to 7 | 2 to 3 |
| Typical amount on a drinking day | 6 to 8 cans of strong lager | 3 to 4 cans of standard lager |

Leon Achebe reported that Mr Whitlock has engaged well and uses a drinking diary. He has
identified Friday evenings and family parties as high-risk times and has a plan for both. He
has not been drinking on Friday nights before unpaid work since the warning.

## Mr Whitlock's view

"It's harder than I thought but I feel better. I'm sleeping better and I'm not spending as
much. Kerry says I'm easier to be around."

## Concerns

Mr Whitlock mentioned money worries because of the cost of buses to work and reduced overtime.
He also said things have been "tense at home". He did not want to say more. Offered a referral
to the Fenmoor Advice Centre, which he accepted.

## Plan

- Complete the alcohol treatment requirement by 14/01/2025, with an exit plan for ongoing
  support through the Recovery Service's mutual aid group.
- Unpaid work to continue on Saturdays; aim to complete all 120 hours by March 2025.
- Remaining rehabilitation activity days: road safety module and relapse prevention.
- Next review 19/02/2025.
""",
            },
            {
                "filename": "2025-02-17_email-unpaid-work-supervisor.eml",
                "date": "2025-02-17 08:44",
                "from": "Phil Garner <phil.garner@example.gov.uk>",
                "to": "Sarah Denholm <sarah.denholm@example.gov.uk>",
                "subject": "Darren Whitlock (PS-2024-0733) - UPW hours and a welfare concern",
                "body": """
Morning Sarah,

Update on Darren Whitlock from Saturday's unpaid work session (15/02/2025) at
the Riverside Park project.

Hours: Darren did a full day and has now completed 112 of his 120 hours. He
is booked for 22/02/2025 and 01/03/2025, which would finish his hours. His
work has been good and he gets on with the group.

Welfare concern: Darren looked exhausted and has lost weight since before
Christmas. At lunch he told me that Kerry asked him to leave about three weeks
ago and that he has been sleeping in his car in the car park at work because
"there's nowhere else". He is not driving it (he knows he is disqualified) and
said he uses the showers at work. He said he has been drinking "a bit more
again" in the evenings "to get to sleep" because the car is freezing. At one
point he said "what's the point in sorting myself out if I've got nothing to go
back to". I asked him if he was OK and he said he was "fine, just tired", and
that he didn't want probation "making a fuss". I told him I would let you know
because I was worried about him, and he said that was OK.

I don't think he is at risk of not turning up, but I am worried about him
sleeping in a car in February and about the drinking. He said his phone number
is the same (07700 900476) but his phone is often out of charge.

Thanks,

Phil Garner
Unpaid Work Supervisor, Kelderby and Fenmoor PDU
Telephone 01632 960415
""",
            },
        ],
    },
    # ------------------------------------------------------------------ PS-2025-0602
    {
        "reference": "PS-2025-0602",
        "person": "P-1012",
        "team": "probation",
        "case_type": "probation-supervision",
        "officer": "sarah.denholm",
        "title": "Suspended sentence order — rehabilitation activity requirement",
        "opened_on": "2025-04-07",
        "documents": [
            {
                "filename": "2025-03-31_pre-sentence-report.pdf",
                "date": "2025-03-31",
                "author": "Sarah Denholm",
                "title": "Pre-sentence report - Jade Moorcroft",
                "org": PROB_ORG,
                "org_lines": PROB_LINES,
                "marking": "OFFICIAL-SENSITIVE",
                "pages": [
                    """
# Pre-sentence report

| Item | Details |
| Name | Jade Moorcroft |
| Date of birth | 28/03/1999 |
| Address | 17 Cinderhill Walk, Kelderby KX3 6TD |
| Court | Kelderby Magistrates' Court |
| Date of hearing | 3 April 2025 |
| Offences | Theft from a shop (four offences, 06/01/2025 to 14/02/2025) |
| Report author | Sarah Denholm, Probation Officer |

## Sources of information

Two interviews with Ms Moorcroft (24/03/2025 and 27/03/2025); the Crown Prosecution Service
case summary; police national computer record; domestic abuse call-out history (shared by
police); contact with Fenmoor Women's Centre; OASys assessment.

## Offence analysis

Ms Moorcroft pleaded guilty to four thefts from supermarkets in Kelderby between 6 January and
14 February 2025. The total value of the goods was £486.20, mostly meat, toiletries and bottles
of spirits. Most of the goods were recovered. Ms Moorcroft told me that her partner, Mr Lee
Garside, tells her what to take and waits outside, and that he sells the alcohol and meat. She
said that if she comes back with nothing "he goes mad". She said she had eaten little herself
for several weeks because "he has first pick of the food and I have what's left". She accepts
that she took the goods and that this was wrong, and she expressed regret to the shop staff.

## Domestic abuse

Police records show four call-outs to the address in the last 12 months, including one on
2 February 2025 when neighbours reported shouting and a woman screaming. No further action was
taken because Ms Moorcroft did not support a prosecution.
""",
                    """
Ms Moorcroft told me that Mr Garside controls her money (her Universal Credit is paid into his
account), checks her phone and has pushed and slapped her. I consider that the offending took
place in the context of coercive control and domestic abuse. This is relevant to her
culpability and to what will help her stop offending.

## Previous convictions

Two cautions for theft from a shop in 2022, during a previous relationship. No previous court
convictions.

## Assessment of risk

Likelihood of reoffending: medium, linked to her relationship and financial control. Risk of
serious harm: low. Ms Moorcroft is herself assessed as a victim at medium risk of harm from her
partner (DASH completed 27/03/2025, 9 "yes" answers). A referral to the independent domestic
violence adviser (IDVA) service has been made with her consent.

## Personal circumstances

Ms Moorcroft is 26 and has no children. She left her job as a care
assistant in 2023 at Mr Garside's insistence. Her mother lives in Ravensmoor and has offered her
a room. She is on antidepressants prescribed by her GP. She told me she wants to leave Mr
Garside and has started attending a drop-in at Fenmoor Women's Centre.

## Proposal

A community order with a rehabilitation activity requirement of 20 days is proposed. This
would allow Ms Moorcroft to complete the women's centre "Choices and Change" programme,
including work on healthy relationships and money management, and to receive one-to-one support
from a probation officer. If the court is considering custody, a suspended sentence order with
the same requirement would address the same needs. An unpaid work requirement is not proposed
because of her mental health and the risk that Mr Garside would use her absence to control her
further.

Sarah Denholm, Probation Officer, 31 March 2025
""",
                ],
            },
            {
                "filename": "2025-04-07_induction-notes.txt",
                "text": """
PROBATION — INDUCTION NOTES                                 OFFICIAL-SENSITIVE
Case reference: PS-2025-0602
Person on probation: Jade Moorcroft, DOB 28/03/1999
Address: 17 Cinderhill Walk, Kelderby KX3 6TD (not to be shared with Mr Garside)
Probation officer: Sarah Denholm

Order: suspended sentence order made 03/04/2025 at Kelderby Magistrates'
Court: 14 weeks' custody, suspended for 12 months, with a rehabilitation
activity requirement of up to 20 days. The order ends 02/04/2026.

07/04/2025 — Induction, 11:00 to 12:15, in a private room at Fenmoor Women's
Centre (chosen by Ms Moorcroft because Mr Garside does not question her going
there). Explained the order, the rehabilitation activity requirement and what
happens if she does not comply. She understands that if she commits a further
offence or does not comply, the court can activate the custodial sentence.

Disclosure: Ms Moorcroft said things have become worse since the court
hearing. Mr Garside is angry that she "told probation about him" in the report.
She said he took her bank card and phone on Saturday and only gave the phone
back this morning. She has not eaten properly since Friday; he "keeps the food
in his room". She looked pale and thin and said she was dizzy at times. We
gave her lunch at the centre. She has no physical injuries that she wanted to
show me, but said he pushed her into the door frame on Saturday night.

She said she wants to leave and go to her mother's house in Ravensmoor, but is
frightened that he will come after her and that her mother will "get dragged
into it".

Risk: DASH reviewed with her: now 12 "yes" answers (previously 9), including
escalation and isolation. Discussed with my senior (Martin Osei): referral to
MARAC on professional judgement. Police informed with her consent. IDVA (Lucy
Marsh) contacted and will see her at the centre on 09/04/2025.

Safety plan: she will keep the centre's number saved under a different name;
code word agreed for phone contact ("dentist"); appointments will be at the
women's centre for now. Safe options for leaving discussed, including a
planned move to her mother's with police and IDVA support.

Money: UC is paid into Mr Garside's account. Explained she can ask UC to pay
her separately (split payment) and to change her account; she wants help with
this after she leaves.

Rehabilitation activity: she will start the "Choices and Change" programme on
15/04/2025 (Tuesdays, 10:00 to 12:30). One-to-one sessions with me weekly.

Next appointment 14/04/2025, 11:00, at the centre. — S. Denholm
""",
            },
            {
                "filename": "2025-05-12_supervision-notes.md",
                "text": """
# Supervision notes — PS-2025-0602

**Person on probation:** Jade Moorcroft · **Officer:** Sarah Denholm
**Date:** 12/05/2025, 11:00 – 12:00, Fenmoor Women's Centre

## Since the last review

- Ms Moorcroft moved to her mother's home at 4 Thistle Gardens, Ravensmoor
  KX6 3BN on 20/04/2025, with support from the IDVA and the police. Address
  recorded as restricted. Approved as her residence.
- MARAC on 24/04/2025: police marker on her mother's address; IDVA support
  continues; Mr Garside was spoken to by police about harassment after sending
  her 40 messages on 21/04/2025.
- Non-molestation order granted without notice at Kelderby Family Court on
  02/05/2025; return hearing 16/05/2025.
- New Universal Credit claim as a single person, paid into her own account.
  First payment due 27/05/2025; she has an advance of £350.00.

## Compliance

Rehabilitation activity requirement: 6 of 20 days completed (4 programme
sessions and 2 one-to-one sessions). She has attended every appointment,
including the day after she moved.

## How she is

She said she is sleeping better and eating three meals a day at her mother's:
"Mum makes me sit down and eat." She has put on a little weight. She is still
anxious and checks the window when a car stops outside. She has a GP review
of her antidepressants on 19/05/2025. She said: "I feel like I've got my name
back." She is thinking about going back to care work in the autumn.

## Risk

Likelihood of reoffending assessed as reducing: she is no longer under pressure
to steal, has her own income, and is engaging fully. Her risk as a victim
remains medium while Mr Garside continues to try to contact her.

## Plan

- Continue the "Choices and Change" programme, Tuesdays, until 08/07/2025.
- Weekly one-to-one sessions until 30/06/2025, then fortnightly.
- Employment support referral in July.
- Next appointment 19/05/2025, 11:00.
""",
            },
        ],
    },
]
