/* routes.js: the route table. One line per page; WEB2 and others add lines here.
 *
 * CONTRACT (see router.js for the full story):
 *   {path, page, title, public?, shell?, tab?, nav?, navWhen?}
 *   - path: "#"-less hash path with ":id" style params. First match wins, so put fixed paths
 *     before ones with params.
 *   - page: () => import('./pages/<file>.js'), whose module exports `render(ctx)`.
 *   - public: true for pages that need no session (sign in, invitation).
 *   - shell: 'relationship' + tab: 'Label' draws the page as a tab of the relationship page
 *     (tabs appear in this file's order); ctx.rel is the relationship.
 *   - nav: 'Label' puts a link in the top navigation; navWhen(me) => bool limits who sees it.
 */
const isMatcher = (me) => !!me && (me.programs || []).some((p) => p.role === 'learner' || p.role === 'guide');
const isAdmin = (me) => !!me && (me.site_admin || (me.programs || []).some((p) => p.role === 'admin'));

export const routes = [
  { path: '/signin', page: () => import('./pages/signin.js'), title: 'Sign in', public: true },
  { path: '/invitation', page: () => import('./pages/signin.js'), title: 'Accept your invitation', public: true },
  { path: '/sso', page: () => import('./pages/signin.js'), title: 'Signing in', public: true },
  { path: '/reset', page: () => import('./pages/signin.js'), title: 'Choose a new password', public: true },
  { path: '/forgot', page: () => import('./pages/signin.js'), title: 'Forgot your password', public: true },
  { path: '/', page: () => import('./pages/home.js'), title: 'My relationships', nav: 'My relationships' },

  /* The relationship page and its tabs. */
  { path: '/relationships/:id', page: () => import('./pages/relationship.js'), title: 'Relationship', shell: 'relationship', tab: 'Overview' },
  { path: '/relationships/:id/agreement', page: () => import('./pages/agreement.js'), title: 'Agreement', shell: 'relationship', tab: 'Agreement' },
  { path: '/relationships/:id/checkins', page: () => import('./pages/checkins.js'), title: 'Check-ins', shell: 'relationship', tab: 'Check-ins' },
  { path: '/relationships/:id/commitments', page: () => import('./pages/commitments.js'), title: 'Commitments', shell: 'relationship', tab: 'Commitments' },
  { path: '/relationships/:id/goals', page: () => import('./pages/goals.js'), title: 'Goals', shell: 'relationship', tab: 'Goals' },
  { path: '/relationships/:id/notes', page: () => import('./pages/notes.js'), title: 'Notes', shell: 'relationship', tab: 'Notes' },
  { path: '/relationships/:id/feedback', page: () => import('./pages/feedback.js'), title: 'Feedback', shell: 'relationship', tab: 'Feedback' },
  { path: '/relationships/:id/requests', page: () => import('./pages/requests.js'), title: 'Requests', shell: 'relationship', tab: 'Requests' },
  { path: '/relationships/:id/pulse', page: () => import('./pages/pulse.js'), title: 'Pulse', shell: 'relationship', tab: 'Pulse' },
  /* WEB2: the trust profile, incidents and repair, program admin, your data, practices. */
  { path: '/relationships/:id/trust', page: () => import('./pages/trust.js'), title: 'Trust', shell: 'relationship', tab: 'Trust' },
  { path: '/relationships/:id/long-term', page: () => import('./pages/alumni.js'), title: 'Long-term check-ins', shell: 'relationship', tab: 'Long-term' },
  { path: '/relationships/:id/incidents', page: () => import('./pages/incidents.js'), title: 'Incidents', shell: 'relationship', tab: 'Incidents' },
  /* Peer circles (pages/circles.js): my circles, forming one, and a circle's sections. */
  { path: '/circles', page: () => import('./pages/circles.js'), title: 'My circles', nav: 'My circles' },
  { path: '/circles/new', page: () => import('./pages/circles.js'), title: 'Form a circle' },
  { path: '/circles/:id', page: () => import('./pages/circles.js'), title: 'Circle' },
  { path: '/circles/:id/:tab', page: () => import('./pages/circles.js'), title: 'Circle' },
  { path: '/programs', page: () => import('./pages/admin.js'), title: 'Programs', nav: 'Programs', navWhen: isAdmin },
  { path: '/programs/:id', page: () => import('./pages/admin.js'), title: 'Program members' },
  { path: '/programs/:id/matches', page: () => import('./pages/admin.js'), title: 'Program matches' },
  { path: '/programs/:id/health', page: () => import('./pages/admin.js'), title: 'Program health' },
  { path: '/programs/:id/settings', page: () => import('./pages/admin.js'), title: 'Program settings' },
  { path: '/programs/:id/roster', page: () => import('./pages/roster.js'), title: 'Import and export' },
  { path: '/programs/:id/matching', page: () => import('./pages/matching.js'), title: 'Matching' },
  /* The program's circles and the matcher's drafts of circles (pages/circle_proposals.js). */
  { path: '/programs/:id/circles', page: () => import('./pages/circle_proposals.js'), title: 'Circles' },
  { path: '/circle-proposals/:id', page: () => import('./pages/circle_proposals.js'), title: 'Circle draft' },
  { path: '/matching-runs/:id', page: () => import('./pages/matching.js'), title: 'Matching run' },
  { path: '/matching', page: () => import('./pages/matching.js'), title: 'Matching', nav: 'Matching', navWhen: isMatcher },
  { path: '/matching/:id', page: () => import('./pages/matching.js'), title: 'Matching' },
  { path: '/alumni', page: () => import('./pages/alumni.js'), title: 'Alumni', nav: 'Alumni' },
  { path: '/feedback360', page: () => import('./pages/feedback360.js'), title: '360 feedback', nav: '360 feedback' },
  { path: '/feedback360/:id/report', page: () => import('./pages/feedback360.js'), title: '360 feedback report' },
  { path: '/feedback360/:id/rate', page: () => import('./pages/feedback360.js'), title: 'Give 360 feedback' },
  { path: '/feedback360/:id', page: () => import('./pages/feedback360.js'), title: '360 feedback request' },
  { path: '/rate/:token', page: () => import('./pages/feedback360.js'), title: 'Give feedback', public: true },
  { path: '/rate', page: () => import('./pages/feedback360.js'), title: 'Give feedback', public: true },
  { path: '/practices', page: () => import('./pages/practices.js'), title: 'Practices', nav: 'Practices' },
  { path: '/practices/:id', page: () => import('./pages/practices.js'), title: 'Practice' },
  { path: '/me', page: () => import('./pages/access.js'), title: 'Who accessed my data', nav: 'My data' },
  { path: '/me/access', page: () => import('./pages/access.js'), title: 'Who accessed my data' },
  { path: '/me/export', page: () => import('./pages/export.js'), title: 'Export my data' },
  { path: '/me/sessions', page: () => import('./pages/sessions.js'), title: 'My sessions' },
  { path: '/me/mail', page: () => import('./pages/mail.js'), title: 'Mail and calendar' },
  { path: '/me/notifications', page: () => import('./pages/mail.js'), title: 'Notifications', nav: 'Notifications' },
];

export const shells = {
  relationship: () => import('./pages/relationship.js'),
};

export { isAdmin };
