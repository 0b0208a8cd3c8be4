// A labelled set of inbound messages for the Intent Classifier's rule layer: what each message mainly
// asks for, in English, German, French, Spanish, Portuguese, Italian and Dutch. Many mix signals on
// purpose (a demo request that mentions an integration, a price question that says "no demo"), use a
// keyword in another sense ("a big job"), or ask without any keyword. The rules may leave any message
// to the model; what they decide must be right.
'use strict';

const P = 'Pricing';
const D = 'Demo Request';
const Q = 'Product Question';
const S = 'Support';
const PA = 'Partnership';
const J = 'Job Seeker';
const V = 'Vendor Pitch';
const SP = 'Spam';
const O = 'Other';

/** [label, message] */
const CORE = [
	// English: clear asks.
	[P, 'What does the Pro plan cost for 40 users?'],
	[P, 'Could you send us a quote for 120 seats?'],
	[P, 'How much is the enterprise tier per year?'],
	[P, 'Is there a discount for annual billing?'],
	[P, 'We need pricing for three sites.'],
	[P, 'What would 25 licences cost us per month?'],
	[D, 'Could we book a demo next week?'],
	[D, 'We would like to see the product in action. Can you show us?'],
	[D, 'Can someone walk us through the platform on a call?'],
	[D, 'We want to start a free trial for our team.'],
	[D, 'Please set up a meeting so we can see how it works.'],
	[D, 'Can we schedule a walkthrough with your team on Thursday?'],
	[Q, 'Do you integrate with NetSuite?'],
	[Q, 'Does the API support webhooks?'],
	[Q, 'Is SSO with Okta available?'],
	[Q, 'Where is customer data hosted, and are you GDPR compliant?'],
	[Q, 'Can the tool handle multiple currencies?'],
	[Q, 'Do you have an audit log feature?'],
	[S, 'The export is not working since the update.'],
	[S, 'I get an error when I log in.'],
	[S, 'Our dashboard shows no data since yesterday, please help.'],
	[S, 'I need to reset my password.'],
	[S, 'The sync with Salesforce stopped and we see a 500 error.'],
	[S, 'Can you open a support ticket for our account?'],
	[PA, 'We are an agency and would like to join your partner program.'],
	[PA, 'We would like to become a reseller in the Nordics.'],
	[PA, 'We are interested in a co-marketing partnership.'],
	[PA, 'We build a complementary tool and want to discuss a technology partnership.'],
	[J, 'I would like to apply for the account executive role.'],
	[J, 'Are you hiring interns this summer?'],
	[J, 'Please find my CV attached for the sales engineer position.'],
	[J, 'Do you have open positions in customer success?'],
	[SP, 'Our agency offers SEO services that can double your traffic.'],
	[V, 'We sell verified lead lists for SaaS companies.'],
	[V, 'We can help you grow with our outsourcing team in Manila.'],
	[SP, 'I would love to show you our link-building packages for your blog.'],
	[SP, 'Win a free iPhone now, click here!!!'],
	[SP, 'crypto giveaway: double your bitcoin today'],
	[SP, 'Best casino bonus 500% for new players'],
	[SP, 'cheap viagra online no prescription'],
	[SP, 'Great deals for your team, see bit.ly/3xYz12 now. Reply STOP to opt out.'],
	[SP, 'We place guest posts with dofollow backlinks on high DA sites.'],
	[SP, 'Get your site on the first page of Google in 30 days: tinyurl.com/rank-fast'],
	[V, 'We offer nearshore developers for your product team at half the cost.'],
	[V, 'Our company sells B2B contact data and lead lists for your outbound.'],
	// English: mixed or keyword-less (the label is what they mainly ask).
	[D, 'Can someone show us how the HubSpot integration works on a call?'],
	[D, 'We would like a demo, especially of the Salesforce integration.'],
	[D, 'Could your team present the forecasting features to our VP next week?'],
	[D, 'Is it possible to get a trial? We mainly care about the API.'],
	[P, 'No need for a demo, we just need the price for 50 seats.'],
	[P, 'We already saw the product at a conference; what would it cost for our 3 offices?'],
	[P, 'Our budget is approved for Q3, can you send a quote?'],
	[Q, 'Is it a big job to integrate with SAP?'],
	[Q, 'Does the mobile app work offline for field reps?'],
	[Q, 'How do you handle error reporting in the API?'],
	[Q, 'Which languages does the user interface support?'],
	[S, 'We are a customer and the login page shows an error since this morning.'],
	[S, 'Since the last release our reports are empty, is there a bug?'],
	[PA, 'We resell CRM tools in Brazil and want to add yours to our portfolio.'],
	[J, 'I saw your careers page and want to apply for the SDR job in Berlin.'],
	[V, 'We help SaaS companies grow with outsourced SDR teams, can I book 15 minutes with you?'],
	[SP, 'Our SEO agency can get you to page one; would you like a free audit?'],
	[O, 'Just browsing, nice website.'],
	[O, 'Who designed your logo? It looks great.'],
	[O, 'Please remove me from your mailing list.'],
	// German.
	[P, 'Was kostet das Pro-Paket für 25 Nutzer?'],
	[P, 'Können Sie uns ein Angebot für 80 Lizenzen schicken?'],
	[P, 'Wie hoch ist der Preis pro Jahr für die Enterprise-Version?'],
	[D, 'Können wir nächste Woche eine Demo vereinbaren?'],
	[D, 'Wir würden die Software gerne in einer Vorführung sehen.'],
	[D, 'Gibt es eine kostenlose Testversion für unser Team?'],
	[Q, 'Gibt es eine Schnittstelle zu SAP?'],
	[Q, 'Werden die Daten in der EU gehostet? Sind Sie DSGVO-konform?'],
	[Q, 'Unterstützt die API Webhooks?'],
	[S, 'Der Export funktioniert seit dem Update nicht mehr.'],
	[S, 'Ich bekomme beim Login eine Fehlermeldung.'],
	[PA, 'Wir möchten Vertriebspartner in Österreich werden.'],
	[J, 'Ich möchte mich auf die Stelle als Account Executive bewerben.'],
	[SP, 'Unsere Agentur bietet SEO-Dienstleistungen für Ihre Website an.'],
	[D, 'Können Sie uns die Salesforce-Integration in einem Termin zeigen?'],
	[P, 'Eine Demo brauchen wir nicht, nur den Preis für 40 Nutzer.'],
	// French.
	[P, 'Quel est le prix pour 50 utilisateurs ?'],
	[P, 'Pouvez-vous nous envoyer un devis pour 30 licences ?'],
	[P, 'Combien coûte la version entreprise par an ?'],
	[D, 'Pourriez-vous nous faire une démonstration la semaine prochaine ?'],
	[D, "Nous aimerions tester l'outil pendant un essai gratuit."],
	[Q, "Avez-vous une intégration avec HubSpot ?"],
	[Q, 'Les données sont-elles hébergées en Europe ?'],
	[Q, "L'API permet-elle les webhooks ?"],
	[S, "L'export ne fonctionne plus depuis la mise à jour."],
	[S, "J'ai une erreur à la connexion."],
	[PA, 'Nous souhaitons devenir revendeur en Belgique.'],
	[J, 'Je souhaite postuler au poste de commercial à Lyon.'],
	[SP, 'Notre agence propose des services SEO pour votre site.'],
	[D, "Pouvez-vous nous montrer l'intégration Salesforce lors d'un rendez-vous ?"],
	// Spanish.
	[P, '¿Cuánto cuesta el plan Business para 30 usuarios?'],
	[P, '¿Nos pueden enviar una cotización para 60 licencias?'],
	[P, '¿Cuál es el precio anual de la versión empresa?'],
	[D, '¿Podemos agendar una demostración el jueves?'],
	[D, 'Queremos probar la herramienta con una prueba gratuita.'],
	[Q, '¿Tienen integración con Salesforce?'],
	[Q, '¿Dónde se alojan los datos de los clientes?'],
	[S, 'El informe no funciona desde la actualización.'],
	[S, 'Me sale un error al iniciar sesión.'],
	[PA, 'Queremos ser distribuidores en México.'],
	[J, 'Me gustaría postularme para el puesto de ventas en Madrid.'],
	[SP, 'Nuestra agencia ofrece servicios de SEO para su sitio web.'],
	[D, '¿Nos pueden mostrar la integración con HubSpot en una reunión?'],
	// Portuguese.
	[P, 'Quanto custa o plano Pro para 20 usuários?'],
	[P, 'Podem enviar uma cotação para 40 licenças?'],
	[D, 'Podemos marcar uma demonstração na próxima semana?'],
	[Q, 'Vocês têm integração com o Pipedrive?'],
	[S, 'O login não está funcionando desde ontem.'],
	[PA, 'Gostaríamos de ser parceiros revendedores no Brasil.'],
	[J, 'Gostaria de me candidatar à vaga de vendas em Lisboa.'],
	[SP, 'Nossa agência oferece serviços de SEO para o seu site.'],
	// Italian.
	[P, 'Quanto costa il piano Pro per 15 utenti?'],
	[P, 'Potete inviarci un preventivo per 25 licenze?'],
	[D, 'Possiamo fissare una demo la prossima settimana?'],
	[Q, "Avete un'integrazione con Salesforce?"],
	[S, "L'esportazione non funziona da ieri."],
	[PA, 'Vorremmo diventare rivenditori in Italia.'],
	[J, 'Vorrei candidarmi per la posizione di commerciale a Milano.'],
	[SP, 'La nostra agenzia offre servizi SEO per il vostro sito.'],
	// Dutch.
	[P, 'Wat kost het Pro-abonnement voor 10 gebruikers?'],
	[P, 'Kunt u een offerte sturen voor 35 licenties?'],
	[D, 'Kunnen we volgende week een demo plannen?'],
	[Q, 'Heeft u een koppeling met Exact Online?'],
	[S, 'Het inloggen werkt sinds gisteren niet.'],
	[PA, 'Wij willen graag reseller worden in België.'],
	[J, 'Ik wil solliciteren op de vacature voor accountmanager.'],
	[SP, 'Ons bureau biedt SEO-diensten voor uw website.'],
];

const INTROS = ['', 'Hi there, ', 'Hello team, ', 'Good morning, ', 'Hi, '];
const OUTROS = ['', ' Thanks!', ' Best regards, Kim', ' Cheers', ' Thank you in advance.'];

/** Every message three times over: bare, with a greeting, and with a greeting and a sign-off. */
function labelledIntents() {
	const out = [];
	CORE.forEach(([label, text], i) => {
		const lang = languageOf(i);
		out.push({ id: `int-${i + 1}-a`, lang, label, text });
		out.push({ id: `int-${i + 1}-b`, lang, label, text: `${INTROS[1 + (i % 4)]}${text}` });
		out.push({ id: `int-${i + 1}-c`, lang, label, text: `${INTROS[1 + ((i + 2) % 4)]}${text}${OUTROS[1 + (i % 4)]}` });
	});
	return out;
}

/** The language of each message, by the section it stands in. */
const SECTION_STARTS = [
	['de', 'Was kostet das Pro-Paket für 25 Nutzer?'],
	['fr', 'Quel est le prix pour 50 utilisateurs ?'],
	['es', '¿Cuánto cuesta el plan Business para 30 usuarios?'],
	['pt', 'Quanto custa o plano Pro para 20 usuários?'],
	['it', 'Quanto costa il piano Pro per 15 utenti?'],
	['nl', 'Wat kost het Pro-abonnement voor 10 gebruikers?'],
];
function languageOf(index) {
	let lang = 'en';
	for (const [code, first] of SECTION_STARTS) if (index >= CORE.findIndex(([, t]) => t === first)) lang = code;
	return lang;
}

module.exports = { labelledIntents, CORE, languageOf };
